// Synchronizer: a joined workstation database and the shared database, kept in step.
//
// Push: the outbox goes up in sequence order, a batch per shared transaction; a row is
// marked pushed (with the shared side's answer) only once that transaction committed, so
// a lost acknowledgement means the batch is sent again and answered as duplicates. When
// the shared side lacks events this database marked pushed (it was restored from a
// backup), they are sent again from where it stands.
// Pull: the shop's feed after this database's position, a page at a time; each page and
// the new position are written in one local transaction, so a crash between them applies
// nothing twice. Another workstation's order change makes the local order the shared one
// ("order.pulled"); this workstation's change that the shared side did not apply (a
// conflict, or a refusal) takes the shared state of the order ("order.conflicted") and is
// listed in sync_conflicts for a person to resolve. Nothing is decided by clock time.
// Thread-safety: one caller at a time; it reads and writes through the LocalStore.
#pragma once

#include "opflow/store/LocalStore.h"
#include "opflow/sync/SharedDatabase.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <string>

namespace opflow::sync {

struct SyncLimits {
  std::size_t pushBatch = 1000; // events per shared transaction
  std::size_t pullPage = 1000;  // feed events per local transaction
};

struct SyncReport {
  std::int64_t pushed = 0;     // events the shared side took (duplicates included)
  std::int64_t duplicates = 0; // of them, already there (an acknowledgement lost before)
  std::int64_t resent = 0;     // events marked pushed that the shared side lacked
  std::int64_t pulled = 0;     // others' changes taken from the feed
  std::int64_t conflicts = 0;  // this workstation's changes listed as conflicts or refusals
  std::int64_t refused = 0;    // of the events pushed, refused by the shared side
  // The orders whose state here a pull changed (another's change taken, or the shared
  // state taken over a conflict), up to kOrdersChangedKept of them; past that only
  // manyOrdersChanged says so (a catch-up after a week away: look at everything again).
  static constexpr std::size_t kOrdersChangedKept = 10'000;
  std::set<std::string> ordersChanged;
  bool manyOrdersChanged = false;

  // Adds `other`'s counts and changed orders to these.
  void add(const SyncReport& other);
  // Whether anything went up or came down.
  [[nodiscard]] bool movedAnything() const { return pushed + pulled + conflicts > 0; }
};

class Synchronizer {
public:
  // `workstation` is this database's name in the shop (as joined).
  Synchronizer(store::LocalStore& local, SharedDatabase& shared, std::string workstation, SyncLimits limits = {});

  // Pushes until the outbox is drained.
  [[nodiscard]] Result<SyncReport> push();
  // Pulls until the feed is drained.
  [[nodiscard]] Result<SyncReport> pull();
  // Pushes, then pulls, until both are drained (what a pull wrote goes up too).
  [[nodiscard]] Result<SyncReport> once();
  // One push and one pull, each until drained: what a pull wrote waits for the next pass.
  // A follower reports each pass, so what it pulled is shown while more keeps coming.
  [[nodiscard]] Result<SyncReport> pass();
  // Before an operation on order `number`, while online: takes the order's shared state
  // when the shop holds a later version than this database and no change of it made here
  // waits to go up ("order.pulled"), so the operation works on what the shop holds and a
  // conflict comes only from offline work or a true race. True when a state was taken.
  [[nodiscard]] Result<bool> takeCurrentOrder(const std::string& number);

  // Waits at most `timeout` for work: an event waiting to go up here or news in the
  // shared feed (true), looking every few milliseconds, and sooner when `stopRequested`.
  [[nodiscard]] Result<bool> waitForWork(std::chrono::milliseconds timeout, const std::function<bool()>& stopRequested);

private:
  // Compares where the shared side stands in this workstation's sequence with what this
  // database marked pushed: what it lacks is sent again; more than was ever written here
  // means another database uses this name (Conflict).
  [[nodiscard]] Status meetSharedSequence(SyncReport& report);
  // Reads the feed again from its start when the shared database is another (a new
  // epoch) or its event at this database's position is gone or another (restored).
  [[nodiscard]] Status checkFeedPosition();
  [[nodiscard]] Status pushBatch(SyncReport& report, bool& drained);
  [[nodiscard]] Status pullPage(SyncReport& report, bool& drained);

  store::LocalStore& m_local;
  SharedDatabase& m_shared;
  std::string m_workstation;
  SyncLimits m_limits;
};

} // namespace opflow::sync
