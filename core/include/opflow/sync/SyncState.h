// SyncState: what a workstation database knows of the shared database it joined: where it
// is (a path, or a URL without its password), this database's name in the shop, the epoch
// it last met, how far it has read the shop's feed, and what waits to go up.
// Thread-safety: free functions over the LocalStore (writes go through its writer).
#pragma once

#include "opflow/Result.h"
#include "opflow/store/LocalStore.h"
#include "opflow/store/User.h"
#include "opflow/sync/SharedDatabase.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace opflow::sync {

struct SyncState {
  std::string shared;
  std::string workstation;
  std::string epoch;
  std::int64_t feedPosition = 0;
  std::int64_t pushed = 0; // events the shared side has acknowledged
  std::int64_t pulled = 0; // changes of others taken from the feed
  std::int64_t joinedAtMs = 0;
  std::optional<std::int64_t> lastContactMs;
  std::int64_t outboxPending = 0;
  std::optional<std::int64_t> oldestPendingMs; // when the oldest event waiting was made
  std::int64_t conflictsOpen = 0;
  std::int64_t refused = 0; // events the shared side refused (a broken audit chain, unreadable)
};

// The state; nothing when the database never joined a shared one.
[[nodiscard]] Result<std::optional<SyncState>> readSyncState(store::LocalStore& local);

// Joins the database to `shared` (which `target` names: a path, or a URL without its
// password) as `workstation`, by the admin `by` (audited "sync.joined"): the numbers its
// orders already have are claimed in the shared database (Conflict, nothing written here,
// when another workstation holds any of them) and a first block of numbers is taken.
// Joining the shared database it already joined, under the same name, changes nothing;
// another one, or another name, is refused (Conflict) with what it is joined to.
[[nodiscard]] Status joinShared(store::LocalStore& local, SharedDatabase& shared, const std::string& target,
                                const std::string& workstation, const store::User& by);

// How long a person's read of the shop (the console's shop views) waits for its database.
inline constexpr std::chrono::seconds kShopReadTimeout{2};

// The shared database this workstation joined, open, and the workstation's name there.
struct JoinedShop {
  std::string workstation;
  std::unique_ptr<SharedDatabase> shared;
};

// Opens the shared database this workstation joined, for a read; nothing when it never
// joined one. Unavailable when the shared database cannot be reached within
// `connectTimeout`.
[[nodiscard]] Result<std::optional<JoinedShop>> openJoinedShop(store::LocalStore& local,
                                                               std::chrono::seconds connectTimeout);

// A failed read from the shop's database: an Io error there is Unavailable (the
// workstation is offline); any other error stays as it is.
[[nodiscard]] Error shopReadError(const Error& error);

} // namespace opflow::sync
