// SyncLoop: a joined workstation kept in step with its shop for as long as it runs (the
// console's sync thread, `opflow-cli sync --follow`). A round is one pass: a push and a
// pull, each until drained (Synchronizer::pass), reported at once, so a steady stream of
// news is shown as it comes; after a round that pulled something the next starts at once,
// otherwise it waits for work (an event here waiting to go up, or news in the shop's feed),
// at most a couple of seconds. When the shared
// database cannot be reached the workstation is offline: it keeps working here, and the
// loop tries again after a wait that doubles each time (full jitter, capped), so
// workstations coming back do not arrive together; syncNow() cuts the wait short.
//
// It tells its SyncListener what it does: the state (online, syncing, offline since when,
// events waiting, open conflicts, the last error with its round's correlation id) each
// time it changes, and every round that moved something or failed. A database that has
// not joined a shared one is looked at again every few seconds (a join from the CLI while
// the console is open is picked up).
//
// Thread-safety: run() on one thread at a time; syncNow() and stop() from any thread.
// start() runs it on a thread of its own, which stop() (and the destructor) joins. The
// listener is called on the loop's thread.
#pragma once

#include "opflow/Result.h"
#include "opflow/store/LocalStore.h"
#include "opflow/sync/SharedDatabase.h"
#include "opflow/sync/Synchronizer.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace opflow::sync {

enum class SyncLink {
  NotJoined,  // the database works on its own
  Connecting, // the first contact is on its way
  Online,
  Syncing,    // a round is under way
  Offline,    // the shared database cannot be reached; work goes on here
  Stopped,    // a fault that trying again does not mend (lastError says which)
};

[[nodiscard]] const char* toString(SyncLink link);

struct SyncStatus {
  SyncLink link = SyncLink::Connecting;
  std::string workstation; // this database's name in the shop
  std::string shared;      // where the shared database is (no password)
  std::optional<std::int64_t> offlineSinceMs;
  std::optional<std::int64_t> lastContactMs;
  std::optional<std::int64_t> retryAtMs; // offline: when it tries again
  std::int64_t pending = 0;              // events waiting to go up
  std::optional<std::int64_t> oldestPendingMs;
  std::int64_t conflictsOpen = 0;
  std::int64_t refused = 0;
  std::string lastError;              // empty once a round went through
  std::string lastErrorCorrelationId; // the round that met it

  bool operator==(const SyncStatus&) const = default;
};

// One round that moved something or failed.
struct SyncRound {
  std::string correlationId;
  std::int64_t startedAtMs = 0;
  std::int64_t durationMs = 0;
  SyncReport report;
  std::string error; // empty when it went through
  bool offline = false;
};

class SyncListener {
public:
  virtual ~SyncListener() = default;
  virtual void onSyncStatus(const SyncStatus& status) = 0;
  virtual void onSyncRound(const SyncRound& round) = 0;
};

struct SyncLoopOptions {
  std::chrono::milliseconds roundAtLeastEvery{2000}; // a round even when no work was seen
  std::chrono::milliseconds firstRetry{1000};        // offline: the first wait's cap
  std::chrono::milliseconds mostBackoff{60'000};     // offline: the longest wait's cap
  std::chrono::milliseconds notJoinedLook{5000};     // how often a lone database is looked at again
};

class SyncLoop {
public:
  SyncLoop(store::LocalStore& local, SyncListener& listener, SyncLoopOptions options = {});
  ~SyncLoop();
  SyncLoop(const SyncLoop&) = delete;
  SyncLoop& operator=(const SyncLoop&) = delete;

  // Runs until stop(), or `stopRequested` answers true (a signal handler's flag), or a
  // fault that trying again does not mend (returned; the listener has heard it as
  // Stopped). Offline is not a fault.
  [[nodiscard]] Status run(const std::function<bool()>& stopRequested = {});
  // Runs it on a thread of its own (again after a fault stopped it).
  void start();
  // A round now: the wait between rounds, or offline, ends.
  void syncNow();
  // Ends the round in hand, then the loop; joins its thread.
  void stop();

private:
  [[nodiscard]] bool stopping() const;
  // Waits at most `wait`, ending early on stop() or syncNow(); the state is read again
  // every so often meanwhile (events waiting to go up grow offline).
  void pause(std::chrono::milliseconds wait);
  // Reads the database's sync state into m_status; false when it has not joined.
  [[nodiscard]] Result<bool> readState();
  void tell();
  [[nodiscard]] Status oneRound(std::unique_ptr<SharedDatabase>& shared);

  store::LocalStore& m_local;
  SyncListener& m_listener;
  SyncLoopOptions m_options;
  std::function<bool()> m_stopRequested;
  SyncStatus m_status;
  std::optional<SyncStatus> m_told;
  std::chrono::milliseconds m_backoff{0};
  std::atomic<bool> m_stop{false};
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_now = false; // guarded by m_mutex
  std::thread m_thread;
};

} // namespace opflow::sync
