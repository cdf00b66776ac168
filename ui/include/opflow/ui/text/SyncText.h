// SyncText: how the console words the sync's state, its rounds and a conflict, the same
// in the status bar, the sync panel and the order's conflict banner.
// Thread-safety: free functions.
#pragma once

#include "opflow/sync/SyncConflicts.h"
#include "opflow/sync/SyncLoop.h"

#include <QString>

#include <cstdint>

namespace opflow::ui {

// "10:42:03" today, "2026-12-05 10:42" another day (local time).
[[nodiscard]] QString clockText(std::int64_t utcMs);
// The status bar's line: "Online · 3 waiting", "Offline since 10:42 · 12 waiting", ...
[[nodiscard]] QString syncStateText(const sync::SyncStatus& status);
// Where, as whom, the last contact and what failed last, one fact a line.
[[nodiscard]] QString syncDetailText(const sync::SyncStatus& status);
// A round's outcome: "pushed 3, pulled 2" or its error.
[[nodiscard]] QString syncRoundText(const sync::SyncRound& round);
// What a conflict lost: "ada's move to shipped (run 0192…) was not taken by the shop: ..."
[[nodiscard]] QString conflictText(const sync::SyncConflict& conflict);

} // namespace opflow::ui
