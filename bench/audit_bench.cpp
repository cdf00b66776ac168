// audit_bench: what the audit chain costs (issue 3, benchmark 3). A timing program, not a
// test: it prints figures and fails only when the chain it built does not verify.
//
//   appends/posted   N entries, one writer unit each (as the engine posts the audit entry
//                    of each step), group-committed by the StoreWriter (up to 1024 units a
//                    transaction): entries/s from the first post until all are committed.
//                    Each append reads the chain head, hashes (SHA-256, libsodium), inserts
//                    the row and its outbox event in a savepoint of its own.
//   appends/full     the same with synchronous=FULL, on a separate database (N/10 entries).
//   appends/waited   entries appended one at a time, each caller waiting for its commit
//                    (execute): commit latency p50/p99 (bounded by the writer's flush interval).
//   verify           verifyAudit over the whole chain of N entries on a read connection:
//                    seconds and entries/s (target for N = 1,000,000: at most 2 s); run 3
//                    times, the best and the first are shown.
//   query            first page (50) for a user, an order, a one-hour time range, and a page
//                    deep in the chain (afterSeq = N/2): p50 over 200 runs, in ms.
//
// Flags:
//   --entries N   the chain length (default 1000000)
//   --db PATH     build the chain here and keep it (default: a temporary file, removed);
//                 when PATH already holds entries, appending is skipped
//   --no-full     skip appends/full
//   --smoke       a quick run for ctest (N = 2000 unless --entries is given)
//
// Run (Release build):
//   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DOPFLOW_BUILD_UI=OFF
//   ninja -C build-rel audit_bench && ./build-rel/bench/audit_bench
#include "opflow/store/AuditLog.h"
#include "opflow/store/LocalStore.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace opflow;
using namespace opflow::store;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kBaseMs = 1795428000000; // 2026-11-23T10:00:00Z

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A realistic entry: 20 users, 6 actions, 5000 orders, small before/after values; ten
// entries a second from kBaseMs.
AuditEntry makeEntry(std::int64_t i) {
  static const char* actions[] = {"run.started", "run.step", "run.step", "run.step", "order.status_changed",
                                  "signal.delivered"};
  AuditEntry entry;
  entry.atMs = kBaseMs + i * 100;
  entry.user = fmt::format("operator{:02}", i % 20);
  entry.role = i % 20 == 0 ? "supervisor" : "operator";
  entry.workstation = fmt::format("ws-{}", i % 4);
  entry.correlationId = fmt::format("run-{:08}", i / 8);
  entry.action = actions[i % 6];
  entry.subjectType = entry.action[0] == 'o' ? "order" : "run";
  entry.orderNumber = fmt::format("ORD-{:06}", (i / 8) % 5000);
  entry.subjectId = entry.subjectType == "order" ? entry.orderNumber : entry.correlationId;
  if (entry.action == "order.status_changed") {
    entry.before = Json{{"status", "SUBMITTED"}, {"version", i % 7}};
    entry.after = Json{{"status", "PRICE_CALCULATED"}, {"version", i % 7 + 1}};
  } else if (entry.action == "run.step") {
    entry.after = Json{{"node", "measure"}, {"exit", "ok"}, {"duration_us", i % 1000}};
  }
  if (i % 50 == 0) {
    entry.reason = "operator confirmed, \"as agreed\"";
  }
  return entry;
}

std::unique_ptr<LocalStore> openStore(const std::string& path, Durability durability) {
  auto store = LocalStore::open({path, true, durability, {}});
  if (!store) {
    fmt::print(stderr, "audit_bench: {}\n", store.error().describe());
    std::exit(2);
  }
  return std::move(store).value();
}

std::int64_t chainLength(const std::string& path) {
  auto db = Database::open({path, true, false, Durability::Normal, 5000});
  if (!db) {
    return 0;
  }
  auto statement = (*db)->prepare("SELECT coalesce(max(seq), 0) FROM audit");
  if (!statement || !(*statement)->step()) {
    return 0;
  }
  return (*statement)->int64(0);
}

// Posts `count` appends (entries first..first+count-1), in windows so the queue stays small.
double postAppends(LocalStore& store, std::int64_t first, std::int64_t count) {
  const auto start = Clock::now();
  constexpr std::int64_t kWindow = 50000;
  for (std::int64_t done = 0; done < count;) {
    const std::int64_t end = std::min(count, done + kWindow);
    for (std::int64_t i = done; i < end; ++i) {
      store.writer().post([n = first + i](Database& db) {
        AuditEntry entry = makeEntry(n);
        return appendAudit(db, entry);
      });
    }
    if (Status flushed = store.writer().flush(); !flushed) {
      fmt::print(stderr, "audit_bench: append failed: {}\n", flushed.error().describe());
      std::exit(2);
    }
    done = end;
  }
  if (auto error = store.writer().lastError()) {
    fmt::print(stderr, "audit_bench: append failed: {}\n", error->describe());
    std::exit(2);
  }
  return secondsSince(start);
}

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())))];
}

} // namespace

int main(int argc, char** argv) {
  std::int64_t entries = -1;
  std::string dbPath;
  bool full = true;
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--entries" && i + 1 < argc) {
      entries = std::atoll(argv[++i]);
    } else if (arg == "--db" && i + 1 < argc) {
      dbPath = argv[++i];
    } else if (arg == "--no-full") {
      full = false;
    } else if (arg == "--smoke") {
      smoke = true;
    } else {
      fmt::print(stderr, "usage: audit_bench [--entries N] [--db PATH] [--no-full] [--smoke]\n");
      return 2;
    }
  }
  if (entries < 0) {
    entries = smoke ? 2000 : 1000000;
  }
  namespace fs = std::filesystem;
  const fs::path scratch = fs::temp_directory_path() / fmt::format("audit-bench-{}", std::random_device{}());
  fs::create_directories(scratch);
  const bool keep = !dbPath.empty();
  if (!keep) {
    dbPath = (scratch / "audit.db").string();
  }

  fmt::print("audit_bench: {} entries, database {}\n", entries, dbPath);
  {
    auto store = openStore(dbPath, Durability::Normal);
    const std::int64_t existing = chainLength(dbPath);
    if (existing < entries) {
      const std::int64_t count = entries - existing;
      const double seconds = postAppends(*store, existing, count);
      const WriterStats stats = store->writer().stats();
      fmt::print("appends/posted  NORMAL  {:>9} entries  {:7.2f} s  {:>9.0f} entries/s  ({} commits)\n", count,
                 seconds, static_cast<double>(count) / seconds, stats.commits);
    } else {
      fmt::print("appends/posted  skipped: the database holds {} entries already\n", existing);
    }

    std::vector<double> latencies;
    const int waited = smoke ? 20 : 300;
    for (int i = 0; i < waited; ++i) {
      const auto start = Clock::now();
      Status done = store->writer().execute([n = entries + i](Database& db) {
        AuditEntry entry = makeEntry(n);
        return appendAudit(db, entry);
      });
      if (!done) {
        fmt::print(stderr, "audit_bench: {}\n", done.error().describe());
        return 2;
      }
      latencies.push_back(secondsSince(start) * 1000.0);
    }
    fmt::print("appends/waited  NORMAL  {:>9} entries  commit p50 {:.3f} ms  p99 {:.3f} ms\n", waited,
               percentile(latencies, 0.5), percentile(latencies, 0.99));
  }
  if (full) {
    const std::string fullPath = (scratch / "audit-full.db").string();
    auto store = openStore(fullPath, Durability::Full);
    const std::int64_t count = std::max<std::int64_t>(entries / 10, 100);
    const double seconds = postAppends(*store, 0, count);
    fmt::print("appends/posted  FULL    {:>9} entries  {:7.2f} s  {:>9.0f} entries/s\n", count, seconds,
               static_cast<double>(count) / seconds);
  }

  auto db = Database::open({dbPath, true, false, Durability::Normal, 5000});
  if (!db) {
    fmt::print(stderr, "audit_bench: {}\n", db.error().describe());
    return 2;
  }
  const std::int64_t total = chainLength(dbPath);
  double first = 0;
  double best = 1e9;
  bool intact = true;
  for (int round = 0; round < 3; ++round) {
    const auto start = Clock::now();
    auto verification = verifyAudit(**db);
    const double seconds = secondsSince(start);
    if (!verification || !verification->intact || verification->checked != total) {
      fmt::print(stderr, "audit_bench: the chain does not verify: {}\n",
                 verification ? verification->reason : verification.error().describe());
      intact = false;
      break;
    }
    first = round == 0 ? seconds : first;
    best = std::min(best, seconds);
  }
  if (intact) {
    fmt::print("verify                  {:>9} entries  {:7.3f} s best  {:7.3f} s first  {:>9.0f} entries/s\n", total,
               best, first, static_cast<double>(total) / best);
  }

  struct Shape {
    const char* name;
    AuditQuery query;
  };
  std::vector<Shape> shapes(4);
  shapes[0].name = "user";
  shapes[0].query.user = "operator07";
  shapes[1].name = "order";
  shapes[1].query.orderNumber = "ORD-002500";
  shapes[2].name = "hour";
  shapes[2].query.sinceMs = kBaseMs + total * 50;
  shapes[2].query.untilMs = *shapes[2].query.sinceMs + 3600 * 1000;
  shapes[3].name = "deep";
  shapes[3].query.afterSeq = total / 2;
  for (Shape& shape : shapes) {
    shape.query.limit = 50;
    std::vector<double> times;
    std::size_t rows = 0;
    for (int i = 0; i < (smoke ? 10 : 200); ++i) {
      const auto start = Clock::now();
      auto page = queryAudit(**db, shape.query);
      times.push_back(secondsSince(start) * 1000.0);
      if (!page) {
        fmt::print(stderr, "audit_bench: {}\n", page.error().describe());
        return 2;
      }
      rows = page->size();
    }
    fmt::print("query/{:<6}             first page ({} rows)  p50 {:.3f} ms\n", shape.name, rows,
               percentile(times, 0.5));
  }

  db->reset();
  std::error_code ignored;
  fs::remove_all(scratch, ignored);
  return intact ? 0 : 1;
}
