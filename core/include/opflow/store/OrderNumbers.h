// OrderNumbers: the order sequence numbers (the 123 of "ORD-000123") of a workstation
// joined to a shared database. It gives its new orders numbers from blocks the shared
// database handed it (so workstations that create orders offline never give one number
// twice); a workstation on its own numbers its orders as it makes them.
// Thread-safety: free functions on the caller's connection (the writer's, for changes).
#pragma once

#include "opflow/store/Database.h"

#include <cstdint>
#include <optional>

namespace opflow::store {

// The highest sequence number of this database's "ORD-" orders (0 when none).
[[nodiscard]] Result<std::int64_t> highestOrderSequence(Database& db);

// Adds a block of numbers to give, first to last.
[[nodiscard]] Status addNumberBlock(Database& db, std::int64_t first, std::int64_t last);

// How many numbers of the blocks are left to give.
[[nodiscard]] Result<std::int64_t> numbersInHand(Database& db);

// The sequence number a new order takes: the next of the blocks when the database has
// joined a shared one (Conflict when every number handed to it is given: sync online to
// get more), otherwise its order count so far plus one (the next row's id).
[[nodiscard]] Result<std::int64_t> takeOrderSequence(Database& db);

} // namespace opflow::store
