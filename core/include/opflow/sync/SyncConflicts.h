// SyncConflicts: this workstation's changes that the shared database did not apply (a
// conflict: an order change made on a version the shared order no longer had, a user
// added under a name the shop knows, a definition version the shop holds with other
// content; or a refusal), as the pull listed them, and their resolution by a supervisor.
// Thread-safety: free functions over the LocalStore (reads on a reader, writes on the writer).
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"
#include "opflow/store/LocalStore.h"
#include "opflow/store/User.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opflow::sync {

struct SyncConflict {
  std::int64_t id = 0;
  std::string eventId;
  std::string outcome; // "conflict" or "refused"
  std::string kind;    // the change's event kind: "order.changed", "user.changed", ...
  std::string subject; // what it changed: an order number, a user name, "name vN"
  std::string orderNumber; // the subject of an order change; empty for other kinds
  std::string runId;       // the run that made the change, when one did
  std::optional<std::int64_t> localVersion;  // the version the change was made on
  std::optional<std::int64_t> sharedVersion; // the shared order's when it arrived
  std::string reason;
  Json change; // {"order": ..., "change": {"action", "user", ...}} as made here
  std::int64_t createdAtMs = 0;
  std::optional<std::int64_t> resolvedAtMs;
  std::string resolvedBy;
  std::string resolution; // "shared" or "mine"
  std::string runStarted; // "mine": the run started to redo the change on the shared state
};

// The audit subject type of what an event of `kind` changes ("order", "user", "setting",
// "definition", "audit_entry", "run").
[[nodiscard]] const char* subjectTypeOf(std::string_view kind);

// The conflicts, oldest first; only the unresolved ones when `openOnly`.
[[nodiscard]] Result<std::vector<SyncConflict>> listConflicts(store::LocalStore& local, bool openOnly);

// The conflict `id`, open: NotFound for an unknown id, Conflict for one resolved before.
[[nodiscard]] Result<SyncConflict> openConflict(store::LocalStore& local, std::int64_t id);

// Resolves conflict `id` by keeping the shared state (the local order has it already): by
// `by` (a supervisor), audited "sync.conflict_resolved" under `correlationId` (the asking
// action's; generated when empty). NotFound for an unknown id, Conflict for one resolved
// before.
[[nodiscard]] Result<SyncConflict> keepSharedState(store::LocalStore& local, std::int64_t id, const store::User& by,
                                                   const std::string& workstation,
                                                   const std::string& correlationId = {});

// Resolves conflict `id` by the change made again on the shared state: `redoRun`, the run
// `by` (a supervisor) started for it, finished. Audited "sync.conflict_resolved" with the
// run, under `correlationId` (the redo run's, so that one id finds both); the same
// refusals as keepSharedState.
[[nodiscard]] Result<SyncConflict> keepMine(store::LocalStore& local, std::int64_t id, const store::User& by,
                                            const std::string& workstation, const std::string& redoRun,
                                            const std::string& correlationId = {});

} // namespace opflow::sync
