// SyncConflicts: this workstation's changes that the shared database did not apply (a
// conflict: made on a version the shared order no longer had; or a refusal), as the pull
// listed them, and their resolution by a supervisor.
// Thread-safety: free functions over the LocalStore (reads on a reader, writes on the writer).
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"
#include "opflow/store/LocalStore.h"
#include "opflow/store/User.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opflow::sync {

struct SyncConflict {
  std::int64_t id = 0;
  std::string eventId;
  std::string outcome; // "conflict" or "refused"
  std::string orderNumber;
  std::string runId;
  std::optional<std::int64_t> localVersion;  // the version the change was made on
  std::optional<std::int64_t> sharedVersion; // the shared order's when it arrived
  std::string reason;
  Json change; // {"order": ..., "change": {"action", "user", ...}} as made here
  std::int64_t createdAtMs = 0;
  std::optional<std::int64_t> resolvedAtMs;
  std::string resolvedBy;
  std::string resolution; // "shared"
};

// The conflicts, oldest first; only the unresolved ones when `openOnly`.
[[nodiscard]] Result<std::vector<SyncConflict>> listConflicts(store::LocalStore& local, bool openOnly);

// Resolves conflict `id` by keeping the shared state (the local order has it already): by
// `by` (a supervisor), audited "sync.conflict_resolved". NotFound for an unknown id,
// Conflict for one resolved before.
[[nodiscard]] Result<SyncConflict> keepSharedState(store::LocalStore& local, std::int64_t id, const store::User& by,
                                                   const std::string& workstation);

} // namespace opflow::sync
