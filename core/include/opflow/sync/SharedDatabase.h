// SharedDatabase: the shop's one database that every workstation pushes to and pulls
// from. Two backends stand behind it with the same protocol: a shared SQLite file on one
// machine (the embedded default) and PostgreSQL for a shop of many machines.
//
// The protocol:
//   push   one workstation's events in sequence order, taken in one shared transaction:
//          an id already there is acknowledged with its stored outcome (the same id with
//          other content is refused); a sequence number past the next expected ends the
//          batch (a gap). Order changes apply only on the version they were made on
//          (otherwise a conflict, stored and acknowledged); each workstation's audit
//          entries must continue its chain where the shared side last saw it end.
//   feed   every event after a position, in commit order, so a reader never skips one
//          that committed late.
// Errors: Io when the shared database cannot be reached or fails (nothing is taken from
// a batch that fails), Conflict for a shared schema newer than this build.
// Thread-safety: one caller at a time per object; open one per thread.
#pragma once

#include "opflow/Result.h"
#include "opflow/store/NodeStatistics.h"
#include "opflow/sync/SharedEvent.h"

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace opflow::sync {

// How long a connection to a shared database server may take before the workstation
// counts itself offline (a sync; a quick look before a move waits less).
inline constexpr std::chrono::seconds kSharedConnectTimeout{10};

class SharedDatabase {
public:
  virtual ~SharedDatabase() = default;
  SharedDatabase(const SharedDatabase&) = delete;
  SharedDatabase& operator=(const SharedDatabase&) = delete;

  // Its schema version and epoch.
  [[nodiscard]] virtual Result<SharedIdentity> identity() = 0;
  // Takes `events` (all of `workstation`, ascending seq) as far as they continue what it
  // has; see PushAnswer.
  [[nodiscard]] virtual Result<PushAnswer> push(const std::string& workstation,
                                                const std::vector<SharedEvent>& events) = 0;
  // The sequence number the shared side expects next from `workstation` (1 for one it
  // has never heard from).
  [[nodiscard]] virtual Result<std::int64_t> expectedSeq(const std::string& workstation) = 0;
  // At most `limit` events after `position`, oldest first.
  [[nodiscard]] virtual Result<FeedPage> feed(std::int64_t position, std::size_t limit) = 0;
  // Records that `workstation` holds `block` (the numbers of its orders made before it
  // joined); Conflict, naming the other workstation, when another holds any of them.
  // Claiming again what it holds changes nothing.
  [[nodiscard]] virtual Status claimNumbers(const std::string& workstation, const NumberBlock& block) = 0;
  // A new block of `count` numbers for `workstation`, after every number handed out.
  [[nodiscard]] virtual Result<NumberBlock> reserveNumbers(const std::string& workstation, std::int64_t count) = 0;
  // The shared state of an order; nothing when it is unknown.
  [[nodiscard]] virtual Result<std::optional<SharedOrder>> order(const std::string& number) = 0;
  // The audit entries the shop took from every workstation's chain that match `query`,
  // newest first; by order and correlation id through indexes.
  [[nodiscard]] virtual Result<std::vector<ShopAuditEntry>> auditEntries(const ShopAuditQuery& query) = 0;
  // The steps of the latest runs of `query.operation` (of `query.version` when set) that
  // ended at any workstation, at most `query.runWindow` runs, through indexes.
  [[nodiscard]] virtual Result<ShopOperationSteps> operationSteps(const store::StatisticsQuery& query) = 0;
  // Waits at most `timeout` for news in the feed from another connection: true when
  // there is (a notification on PostgreSQL, the file's change counter on SQLite),
  // including news that came since the last call. The first call (and the first after
  // a reconnection) answers true at once: what came before it was not watched, so the
  // caller reads the feed again.
  [[nodiscard]] virtual Result<bool> waitForChange(std::chrono::milliseconds timeout) = 0;
  // What a person may see of where it is (a URL's password is never shown).
  [[nodiscard]] virtual std::string describe() const = 0;

protected:
  SharedDatabase() = default;
};

} // namespace opflow::sync
