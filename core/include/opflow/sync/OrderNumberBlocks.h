// OrderNumberBlocks: a joined workstation keeps order numbers in hand, handed out by the
// shared database in blocks, so it can create orders offline and no two workstations give
// one number. Joining claims the numbers its orders already have (see joinShared).
// Thread-safety: free functions; the shared database one caller at a time.
#pragma once

#include "opflow/Result.h"
#include "opflow/store/LocalStore.h"
#include "opflow/sync/SharedDatabase.h"

#include <cstdint>

namespace opflow::sync {

// The numbers of a block the shared database hands out.
inline constexpr std::int64_t kOrderNumberBlock = 5000;
// Fewer than this left in hand, the next sync asks for another block.
inline constexpr std::int64_t kOrderNumbersLow = 2500;

// Asks the shared database for another block when fewer than kOrderNumbersLow are left.
// Errors: the shared database's (Io when it cannot be reached), the store's.
[[nodiscard]] Status keepNumbersInHand(store::LocalStore& local, SharedDatabase& shared,
                                       const std::string& workstation);

} // namespace opflow::sync
