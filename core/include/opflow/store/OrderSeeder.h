// OrderSeeder: fills a database with realistic orders for demos and benchmarks: every
// status (more early ones than closed), some on hold, priorities, materials, file names,
// believable customers and prices, each with its status timeline in order_history (the
// table real status changes append to); the same seed gives the same orders. Seeding is
// an admin's (the caller proves who: the CLI asks UserStore::authorize), since seeded
// orders reach every status without the operations that would check each move. Each
// batch commits with an "orders.seeded" audit entry naming the admin, the range of order
// numbers and the seed value: the orders' past is made up, the seeding is what happened
// (`audit verify` accepts an order without audit entries only inside such a range). A
// database joined to a shared one is not seeded (Conflict): its numbers are the shop's.
// Runs as large units of work on the writer thread (bulk inserts with cached statements,
// in creation order so every index grows at a few hot spots); the counts triggers stay
// on, so the counts table is right afterwards.
// Thread-safety: call from one thread; the store may be used meanwhile (writes queue).
#pragma once

#include "opflow/store/LocalStore.h"
#include "opflow/store/Order.h"

#include <cstdint>
#include <span>
#include <string>

namespace opflow::store {

struct SeedOptions {
  std::int64_t count = 1000;
  std::uint64_t seed = 1;
  std::int64_t batch = 250'000; // orders per transaction
  OrderActor by;         // who seeds: an admin (PermissionDenied otherwise)
  bool histories = true; // false: orders only, no order_history rows
};

struct SeedReport {
  std::int64_t orders = 0;
  std::int64_t historyRows = 0;
  std::string firstNumber;
  std::string lastNumber;
  std::int64_t elapsedMs = 0;
};

[[nodiscard]] Result<SeedReport> seedOrders(LocalStore& store, const SeedOptions& options);

// The made-up customers seeded orders belong to (the demo shop's too).
[[nodiscard]] std::span<const char* const> seedCustomers();

} // namespace opflow::store
