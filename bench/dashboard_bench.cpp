// dashboard_bench: each dashboard query (observe::DashboardFigures, over the rollups) on a
// large shop, beside the naive query that aggregates the raw tables in the same run:
//   throughput    order_flow_hours            vs  GROUP BY over order_history (every row)
//   WIP           order_status_counts         vs  GROUP BY over orders
//   lead times    order_stage_hours           vs  lag() over order_history, exact percentiles
//   operations    run_hours                   vs  the window's ended runs, exact p95
//   dashboard     all four in one read transaction (what the console's view reads)
// for today, the last 7 days and the last 30 days (naive: 30 days only). Each figure is
// the median of --repeats runs on a warm cache. A timing program, not a test.
//
// The database is made once and reused (an existing one gets the runs when it has none):
// --orders orders seeded with their histories
// (store::seedOrders, two years of made-up past, its rollups filled in bulk) and --runs
// ended runs of six operations spread over the last 30 days, a tenth failed, written as
// journal rows straight into runs (the run_hours trigger counts them as the engine's
// would). Seeding's time is printed when it happens.
//
// Flags:  --orders N   (default 1000000)   --runs N   (default 300000)
//         --db PATH    (default /tmp/opflow-dashboard-bench-<orders>.db)
//         --repeats N  (default 7)         --smoke    (2000 orders, 2000 runs, a temporary file)
#include "BenchSupport.h"

#include "opflow/observe/DashboardFigures.h"
#include "opflow/store/Database.h"
#include "opflow/store/LocalStore.h"
#include "opflow/store/OrderSeeder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

using namespace opflow;
using bench::Clock;
using bench::must;

constexpr const char* kOperations[] = {"order.create",         "order.calculate_price", "order.approve",
                                       "order.start_production", "order.ship",            "order.close"};

void seedOrders(const std::string& path, std::int64_t orders) {
  auto store = must(store::LocalStore::open({path, true, store::Durability::Normal, {}}), "create the database");
  const auto start = Clock::now();
  auto report = must(store::seedOrders(*store, {orders, 11, 250'000, {"root", "admin", "bench", "", ""}}),
                     "seed the orders");
  fmt::print("seeded {} orders and {} history rows in {:.1f} s (rollups included)\n", report.orders,
             report.historyRows, bench::secondsSince(start));
}

// Adds the bench's runs to a database that has none of them yet.
void addRuns(const std::string& path, std::int64_t runs) {
  auto db = must(store::Database::open({path, false, false, store::Durability::Normal, 5000}), "open for the runs");
  auto already = must(store::selectOne(*db, "SELECT count(*) FROM runs WHERE id LIKE 'bench-run-%'",
                                       [](const store::Statement& row) { return row.int64(0); }),
                      "count the runs");
  if (already.value_or(0) > 0) {
    return;
  }
  const auto start = Clock::now();
  auto transaction = must(store::Transaction::begin(*db), "begin the runs");
  auto insert = must(db->prepare("INSERT INTO runs (id, operation, version, content_hash, state, node, inputs, data, "
                                 "context, user, role, workstation, correlation_id, created_at, updated_at, step_count) "
                                 "VALUES (?, ?, 1, 'h', ?, 'done', '{}', '{}', '{}', 'olga', 'operator', 'bench', ?, ?, ?, 3)"),
                     "prepare the runs");
  std::mt19937_64 random(5);
  std::lognormal_distribution<double> durationMs(6.0, 1.2); // a median of 400 ms, a long tail
  const std::int64_t now = db->nowMs();
  for (std::int64_t i = 0; i < runs; ++i) {
    const std::int64_t ended = now - static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(30 * observe::kDayMs));
    const auto took = static_cast<std::int64_t>(durationMs(random)) + 1;
    insert->bind(1, fmt::format("bench-run-{}", i))
        .bind(2, std::string(kOperations[random() % std::size(kOperations)]))
        .bind(3, std::string(random() % 10 == 0 ? "failed" : "completed"))
        .bind(4, fmt::format("bench-correlation-{}", i))
        .bind(5, ended - took)
        .bind(6, ended);
    must(insert->run(), "insert a run");
    insert->reset();
  }
  must(transaction.commit(), "commit the runs");
  fmt::print("wrote {} ended runs in {:.1f} s\n", runs, bench::secondsSince(start));
}

double exactQuantile(std::vector<double>& values, double quantile) {
  if (values.empty()) {
    return 0;
  }
  auto rank = static_cast<std::size_t>(quantile * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank), values.end());
  return values[rank];
}

// Steps `sql` (bound to `keys`) to its end, calling `row` on each row.
void scan(store::Database& db, const std::string& sql, const std::vector<std::int64_t>& keys,
          const std::function<void(const store::Statement&)>& row) {
  auto statement = must(db.prepare(sql), "prepare a naive query");
  for (std::size_t i = 0; i < keys.size(); ++i) {
    statement->bind(static_cast<int>(i) + 1, keys[i]);
  }
  while (must(statement->step(), "step a naive query")) {
    row(*statement);
  }
  statement->reset();
}

std::size_t naiveThroughput(store::Database& db, const observe::DashboardWindow& window) {
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> counts;
  scan(db, "SELECT (at + ?3) / ?4, status, count(*) FROM order_history WHERE at >= ?1 AND at < ?2 GROUP BY 1, 2",
       {window.sinceMs, window.untilMs, window.utcOffsetMs, window.bucketMs},
       [&](const store::Statement& row) { counts[{row.int64(0), row.int64(1)}] = row.int64(2); });
  return counts.size();
}

std::size_t naiveWorkInProgress(store::Database& db) {
  std::size_t statuses = 0;
  scan(db, "SELECT status, count(*), count(hold_reason) FROM orders GROUP BY status", {},
       [&](const store::Statement&) { ++statuses; });
  return statuses;
}

std::size_t naiveLeadTimes(store::Database& db, const observe::DashboardWindow& window) {
  std::map<std::int64_t, std::vector<double>> byStage;
  scan(db,
       "SELECT previous, (at - previous_at) / 1000 FROM (SELECT at, lag(status) OVER entries AS previous, "
       "lag(at) OVER entries AS previous_at FROM order_history WINDOW entries AS (PARTITION BY order_id ORDER BY at)) "
       "WHERE previous IS NOT NULL AND at >= ?1 AND at < ?2",
       {window.sinceMs, window.untilMs},
       [&](const store::Statement& row) { byStage[row.int64(0)].push_back(static_cast<double>(row.int64(1))); });
  for (auto& [stage, seconds] : byStage) {
    exactQuantile(seconds, 0.5);
    exactQuantile(seconds, 0.9);
  }
  return byStage.size();
}

std::size_t naiveOperationRed(store::Database& db, const observe::DashboardWindow& window) {
  std::map<std::string, std::vector<double>> byOperation;
  scan(db,
       "SELECT operation, state, updated_at - created_at FROM runs WHERE state IN ('completed', 'failed', 'cancelled') "
       "AND updated_at >= ?1 AND updated_at < ?2",
       {window.sinceMs, window.untilMs},
       [&](const store::Statement& row) { byOperation[row.text(0)].push_back(static_cast<double>(row.int64(2))); });
  for (auto& [operation, durations] : byOperation) {
    exactQuantile(durations, 0.95);
  }
  return byOperation.size();
}

// The median time of `repeats` calls of `read`, which returns how many rows or groups it
// found (printed, so a query that finds nothing shows).
void measure(const std::string& what, int repeats, const std::function<std::size_t()>& read) {
  std::vector<double> ms;
  std::size_t found = 0;
  for (int i = 0; i < repeats + 1; ++i) { // the first run warms the cache
    const auto start = Clock::now();
    found = read();
    if (i > 0) {
      ms.push_back(bench::msSince(start));
    }
  }
  std::sort(ms.begin(), ms.end());
  fmt::print("  {:<44} {:>10.2f} ms   (max {:>9.2f} ms, {} groups)\n", what, ms[ms.size() / 2], ms.back(), found);
}

} // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0); // each figure as it comes, into a file too
  std::int64_t orders = 1'000'000;
  std::int64_t runs = 300'000;
  int repeats = 7;
  std::string path;
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool valued = i + 1 < argc;
    if (arg == "--orders" && valued) {
      orders = std::atoll(argv[++i]);
    } else if (arg == "--runs" && valued) {
      runs = std::atoll(argv[++i]);
    } else if (arg == "--db" && valued) {
      path = argv[++i];
    } else if (arg == "--repeats" && valued) {
      repeats = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--smoke") {
      smoke = true;
    } else {
      fmt::print(stderr, "usage: dashboard_bench [--orders N] [--runs N] [--db PATH] [--repeats N] [--smoke]\n");
      return 2;
    }
  }
  if (smoke) {
    orders = 2000;
    runs = 2000;
    repeats = 1;
    path = (std::filesystem::temp_directory_path() / fmt::format("opflow-dashboard-smoke-{}.db", ::getpid())).string();
    std::filesystem::remove(path);
  } else if (path.empty()) {
    path = fmt::format("/tmp/opflow-dashboard-bench-{}.db", orders);
  }
  try {
    if (!std::filesystem::exists(path)) {
      seedOrders(path, orders);
    }
    addRuns(path, runs);
    auto store = must(store::LocalStore::open({path, false, store::Durability::Normal, {}}), "open the database");
    auto reader = must(store->readers().acquire(), "take a reader");
    store::Database& db = *reader;
    const std::int64_t now = db.nowMs();
    fmt::print("dashboard_bench: {} ({} orders), median of {} runs\n", path, orders, repeats);
    std::size_t groups = 0;
    for (int days : {1, 7, 30}) {
      const observe::DashboardWindow window = observe::dashboardWindowOfDays(days, now, 0);
      fmt::print("{} day(s):\n", days);
      measure("ours: throughput (order_flow_hours)", repeats,
              [&] { return must(observe::readThroughput(db, window), "throughput").size(); });
      measure("ours: work in progress (order_status_counts)", repeats,
              [&] { return must(observe::readWorkInProgress(db), "work in progress").size(); });
      measure("ours: lead times (order_stage_days, _hours)", repeats,
              [&] { return must(observe::readLeadTimes(db, window), "lead times").size(); });
      measure("ours: operations (run_days, run_hours)", repeats,
              [&] { return must(observe::readOperationRed(db, window), "operations").size(); });
      measure("ours: the whole dashboard (one transaction)", repeats, [&] {
        auto figures = must(observe::readDashboard(*store, window), "dashboard");
        return figures.throughput.size() + figures.leadTimes.size() + figures.operations.size();
      });
      if (days == 30) {
        measure("naive: throughput (GROUP BY order_history)", repeats, [&] { return naiveThroughput(db, window); });
        measure("naive: work in progress (GROUP BY orders)", repeats, [&] { return naiveWorkInProgress(db); });
        measure("naive: lead times (lag() over order_history)", repeats, [&] { return naiveLeadTimes(db, window); });
        measure("naive: operations (the window's runs)", repeats, [&] { return naiveOperationRed(db, window); });
        groups = must(observe::readLeadTimes(db, window), "lead times").size();
      }
    }
    if (smoke) {
      std::filesystem::remove(path);
      for (const char* suffix : {"-wal", "-shm"}) {
        std::filesystem::remove(path + suffix);
      }
      if (groups == 0) {
        fmt::print(stderr, "dashboard_bench: the smoke shop's last 30 days hold no lead times\n");
        return 1;
      }
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "dashboard_bench: {}\n", error.what());
    return 1;
  }
  return 0;
}
