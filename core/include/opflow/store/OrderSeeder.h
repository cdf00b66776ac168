// OrderSeeder: fills a database with realistic orders for demos and benchmarks: every
// status (more early ones than closed), some on hold, priorities, materials, file names,
// believable customers and prices, each with a timeline of status moves. Each order's
// timeline goes into the audit chain as one compact "order.seeded" entry (its statuses
// with their times), which keeps a million orders within seconds; the same seed gives
// the same orders.
// Runs as large units of work on the writer thread (bulk inserts with cached statements);
// the counts triggers stay on, so the counts table is right afterwards.
// Thread-safety: call from one thread; the store may be used meanwhile (writes queue).
#pragma once

#include "opflow/store/LocalStore.h"

#include <cstdint>
#include <string>

namespace opflow::store {

struct SeedOptions {
  std::int64_t count = 1000;
  std::uint64_t seed = 1;
  std::int64_t batch = 250'000; // orders per transaction
  std::string workstation = "seed";
  bool auditTimelines = true; // false: orders only (for measuring the audit's share)
};

struct SeedReport {
  std::int64_t orders = 0;
  std::int64_t auditEntries = 0;
  std::string firstNumber;
  std::string lastNumber;
  std::int64_t elapsedMs = 0;
};

[[nodiscard]] Result<SeedReport> seedOrders(LocalStore& store, const SeedOptions& options);

} // namespace opflow::store
