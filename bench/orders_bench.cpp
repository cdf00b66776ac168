// orders_bench: the console's order questions on a large seeded database (issue 3,
// benchmark 2), beside the naive OFFSET paging and COUNT(*) they replace, and the
// seeder's speed (benchmark 4 is timed on the CLI: `opflow-cli seed --orders 1000000`).
//
// Flags (before Google Benchmark's own):
//   --orders_db=PATH     the database to read (env OPFLOW_ORDERS_DB; default
//                        /tmp/opflow-orders-bench.db). Seeded once when missing, then reused.
//   --orders_count=N     how many orders to seed when the file is missing (default 1000000)
//   --seed_count=N       orders per BM_Seed iteration, into a scratch file (default 20000)
// Each benchmark reports p50_us and p99_us over its iterations (per-call wall time),
// besides Google Benchmark's mean. Example:
//   ./orders_bench --orders_db=/tmp/orders-1m.db --benchmark_min_time=0.5
#include "opflow/store/OrderSeeder.h"
#include "opflow/store/OrderStore.h"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace opflow;
using namespace opflow::store;
using domain::OrderStatus;

// Who the bench's seeds are audited as (seeding is an admin's).
const OrderActor kBenchAdmin{"bench", "admin", "bench", "", ""};

std::string g_dbPath = "/tmp/opflow-orders-bench.db";
std::int64_t g_orderCount = 1'000'000;
std::int64_t g_seedCount = 20'000;
std::unique_ptr<LocalStore> g_store;
std::unique_ptr<OrderStore> g_orders;

// Times each call of `body` and reports the median and 99th percentile in microseconds.
template <typename Body>
void timed(benchmark::State& state, Body&& body) {
  std::vector<double> samples;
  samples.reserve(1 << 16);
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    body();
    samples.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(samples.begin(), samples.end());
  if (!samples.empty()) {
    state.counters["p50_us"] = samples[samples.size() / 2];
    state.counters["p99_us"] = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
  }
}

void mustPage(benchmark::State& state, const OrderQuery& query) {
  auto page = g_orders->list(query);
  if (!page) {
    state.SkipWithError(page.error().message.c_str());
    return;
  }
  benchmark::DoNotOptimize(page->orders.data());
}

// First page (50 rows, newest first) of one status filter; range(0) = status index, 11 = all.
void BM_FirstPage(benchmark::State& state) {
  OrderQuery query;
  if (state.range(0) < 11) {
    query.statuses = {domain::allOrderStatuses()[static_cast<std::size_t>(state.range(0))]};
    state.SetLabel(domain::toString(query.statuses.front()));
  } else {
    state.SetLabel("all");
  }
  timed(state, [&] { mustPage(state, query); });
}
BENCHMARK(BM_FirstPage)->DenseRange(0, 11);

void BM_FirstPageByPriority(benchmark::State& state) {
  OrderQuery query;
  query.sort = OrderSort::Priority;
  if (state.range(0) == 1) {
    query.statuses = {OrderStatus::Submitted};
  } else if (state.range(0) == 2) {
    query.statuses = {OrderStatus::Submitted, OrderStatus::PriceCalculated, OrderStatus::ManufacturingStarted};
  }
  state.SetLabel(state.range(0) == 0 ? "all" : state.range(0) == 1 ? "SUBMITTED" : "3 statuses merged");
  timed(state, [&] { mustPage(state, query); });
}
BENCHMARK(BM_FirstPageByPriority)->DenseRange(0, 2);

void BM_FirstPageThreeStatuses(benchmark::State& state) {
  OrderQuery query;
  query.statuses = {OrderStatus::Initiated, OrderStatus::FileUploaded, OrderStatus::Submitted};
  timed(state, [&] { mustPage(state, query); });
}
BENCHMARK(BM_FirstPageThreeStatuses);

// The cursor of the row halfway down the newest-first list.
std::string deepCursor(Database& db) {
  auto select = db.prepareUncached(fmt::format(
      "SELECT created_at, id FROM orders ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET {}", g_orderCount / 2));
  if (!select || !*(*select)->step()) {
    return {};
  }
  return fmt::format("N.{}.{}", (*select)->int64(0), (*select)->int64(1));
}

void BM_DeepKeysetPage(benchmark::State& state) {
  auto db = g_store->readers().acquire();
  OrderQuery query;
  query.after = deepCursor(**db);
  state.SetLabel(fmt::format("after row {}", g_orderCount / 2));
  timed(state, [&] { mustPage(state, query); });
}
BENCHMARK(BM_DeepKeysetPage);

void BM_NaiveOffsetPage(benchmark::State& state) {
  auto db = g_store->readers().acquire();
  std::string sql = fmt::format(
      "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
      "ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET {}",
      g_orderCount / 2);
  state.SetLabel(fmt::format("OFFSET {}", g_orderCount / 2));
  timed(state, [&] {
    auto select = (*db)->prepare(sql);
    while (*(*select)->step()) {
      benchmark::DoNotOptimize((*select)->int64(0));
    }
  });
}
BENCHMARK(BM_NaiveOffsetPage)->Unit(benchmark::kMillisecond);

void BM_NaiveStatusOffsetPage(benchmark::State& state) {
  auto db = g_store->readers().acquire();
  std::string sql =
      "SELECT id, number, status, customer, priority, price_cents, created_at, updated_at, version FROM orders "
      "WHERE status = 'SUBMITTED' ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET 50000";
  state.SetLabel("SUBMITTED OFFSET 50000");
  timed(state, [&] {
    auto select = (*db)->prepare(sql);
    while (*(*select)->step()) {
      benchmark::DoNotOptimize((*select)->int64(0));
    }
  });
}
BENCHMARK(BM_NaiveStatusOffsetPage)->Unit(benchmark::kMillisecond);

void BM_Count(benchmark::State& state) {
  timed(state, [&] {
    auto counts = g_orders->count();
    benchmark::DoNotOptimize(counts->total);
  });
}
BENCHMARK(BM_Count);

void BM_NaiveCountStar(benchmark::State& state) {
  auto db = g_store->readers().acquire();
  timed(state, [&] {
    auto select = (*db)->prepare("SELECT status, count(*) FROM orders GROUP BY status");
    while (*(*select)->step()) {
      benchmark::DoNotOptimize((*select)->int64(1));
    }
  });
}
BENCHMARK(BM_NaiveCountStar)->Unit(benchmark::kMillisecond);

void BM_SearchCustomerPrefix(benchmark::State& state) {
  OrderQuery query;
  query.search = "kes";
  timed(state, [&] { mustPage(state, query); });
}
BENCHMARK(BM_SearchCustomerPrefix);

void BM_SearchNumberPrefix(benchmark::State& state) {
  OrderQuery query;
  query.search = "ORD-0500";
  timed(state, [&] { mustPage(state, query); });
}
BENCHMARK(BM_SearchNumberPrefix);

// Seeding into a fresh scratch database (orders with their order_history timelines).
void BM_Seed(benchmark::State& state) {
  std::string path = g_dbPath + ".seed-scratch";
  for (auto _ : state) {
    state.PauseTiming();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path + suffix);
    }
    auto scratch = LocalStore::open({path, true, Durability::Normal, {}});
    state.ResumeTiming();
    auto seeded = seedOrders(**scratch, {g_seedCount, 3, 250'000, kBenchAdmin});
    if (!seeded) {
      state.SkipWithError(seeded.error().message.c_str());
    }
  }
  state.counters["orders_per_s"] =
      benchmark::Counter(static_cast<double>(g_seedCount * state.iterations()), benchmark::Counter::kIsRate);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
}
BENCHMARK(BM_Seed)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

bool openOrSeed() {
  bool exists = std::filesystem::exists(g_dbPath);
  auto opened = LocalStore::open({g_dbPath, true, Durability::Normal, {}});
  if (!opened) {
    std::cerr << "orders_bench: " << opened.error().describe() << "\n";
    return false;
  }
  g_store = std::move(opened).value();
  g_orders = std::make_unique<OrderStore>(*g_store);
  if (!exists) {
    std::cerr << fmt::format("orders_bench: seeding {} orders into {} ...\n", g_orderCount, g_dbPath);
    auto seeded = seedOrders(*g_store, {g_orderCount, 1, 250'000, kBenchAdmin});
    if (!seeded) {
      std::cerr << "orders_bench: " << seeded.error().describe() << "\n";
      return false;
    }
    std::cerr << fmt::format("orders_bench: seeded in {} ms\n", seeded->elapsedMs);
  } else if (auto counts = g_orders->count(); counts) {
    g_orderCount = counts->total;
  }
  return true;
}

} // namespace

int main(int argc, char** argv) {
  if (const char* env = std::getenv("OPFLOW_ORDERS_DB"); env && *env) {
    g_dbPath = env;
  }
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--orders_db=", 0) == 0) {
      g_dbPath = arg.substr(12);
    } else if (arg.rfind("--orders_count=", 0) == 0) {
      g_orderCount = std::stoll(arg.substr(15));
    } else if (arg.rfind("--seed_count=", 0) == 0) {
      g_seedCount = std::stoll(arg.substr(13));
    } else {
      rest.push_back(argv[i]);
    }
  }
  int restCount = static_cast<int>(rest.size());
  benchmark::Initialize(&restCount, rest.data());
  if (!openOrSeed()) {
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  g_orders.reset();
  g_store.reset();
  return 0;
}
