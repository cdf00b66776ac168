#include "opflow/sync/SyncLoop.h"

#include "opflow/engine/RunId.h"
#include "opflow/observe/Log.h"
#include "opflow/store/UtcTime.h"
#include "opflow/sync/SharedTarget.h"
#include "opflow/sync/SyncState.h"

#include <algorithm>
#include <random>

namespace opflow::sync {

namespace {

using std::chrono::milliseconds;

// How often a pause looks at a stop flag it cannot be woken by, and reads the state again.
constexpr milliseconds kPauseSlice{100};
constexpr milliseconds kStateEvery{1000};
constexpr milliseconds kLeastRetry{500};

std::int64_t sinceMs(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
}

// A shared database that cannot be opened (unreachable, or failing there) is offline, not
// a fault; the Synchronizer says the same of its failures there, while one of this
// workstation's own database keeps its code.
Error offlineOr(const Error& error) {
  return error.code == ErrorCode::Io ? makeError(ErrorCode::Unavailable, error.message) : error;
}

} // namespace

const char* toString(SyncLink link) {
  switch (link) {
  case SyncLink::NotJoined:
    return "not joined";
  case SyncLink::Connecting:
    return "connecting";
  case SyncLink::Online:
    return "online";
  case SyncLink::Syncing:
    return "syncing";
  case SyncLink::Offline:
    return "offline";
  case SyncLink::Stopped:
    return "stopped";
  }
  return "unknown";
}

SyncLoop::SyncLoop(store::LocalStore& local, SyncListener& listener, SyncLoopOptions options)
    : m_local(local), m_listener(listener), m_options(options) {}

SyncLoop::~SyncLoop() { stop(); }

bool SyncLoop::stopping() const { return m_stop.load() || (m_stopRequested && m_stopRequested()); }

void SyncLoop::start() {
  stop();
  m_stop = false;
  m_thread = std::thread([this] { static_cast<void>(run()); });
}

void SyncLoop::syncNow() {
  {
    std::lock_guard lock(m_mutex);
    m_now = true;
  }
  m_wake.notify_all();
}

void SyncLoop::stop() {
  m_stop = true;
  m_wake.notify_all();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

void SyncLoop::pause(milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  auto nextState = std::chrono::steady_clock::now() + kStateEvery;
  std::unique_lock lock(m_mutex);
  while (!stopping() && !m_now && std::chrono::steady_clock::now() < deadline) {
    const auto left = deadline - std::chrono::steady_clock::now();
    m_wake.wait_for(lock, std::min<std::chrono::steady_clock::duration>(kPauseSlice, left));
    if (std::chrono::steady_clock::now() >= nextState) {
      lock.unlock();
      if (readState()) {
        tell();
      }
      lock.lock();
      nextState = std::chrono::steady_clock::now() + kStateEvery;
    }
  }
  m_now = false;
}

Result<bool> SyncLoop::readState() {
  auto state = readSyncState(m_local);
  if (!state) {
    return state.error();
  }
  if (!*state) {
    return false;
  }
  const SyncState& s = **state;
  m_status.workstation = s.workstation;
  m_status.shared = s.shared;
  m_status.lastContactMs = s.lastContactMs;
  m_status.pending = s.outboxPending;
  m_status.oldestPendingMs = s.oldestPendingMs;
  m_status.conflictsOpen = s.conflictsOpen;
  m_status.refused = s.refused;
  return true;
}

void SyncLoop::tell() {
  if (m_told && *m_told == m_status) {
    return;
  }
  m_told = m_status;
  m_listener.onSyncStatus(m_status);
}

Status SyncLoop::oneRound(std::unique_ptr<SharedDatabase>& shared) {
  SyncRound round;
  round.correlationId = engine::newUuidV7();
  round.startedAtMs = store::nowMs();
  const auto started = std::chrono::steady_clock::now();
  const auto failed = [&](const Error& seen) -> Status {
    round.durationMs = sinceMs(started);
    round.error = seen.message;
    round.offline = seen.code == ErrorCode::Unavailable;
    m_status.lastError = seen.message;
    m_status.lastErrorCorrelationId = round.correlationId;
    observe::log(round.offline ? observe::LogLevel::Info : observe::LogLevel::Error, "sync",
                 round.offline ? "sync round found the shop unreachable" : "sync round failed",
                 {.correlationId = round.correlationId,
                  .workstation = m_status.workstation,
                  .extra = {{"shared", redactedTarget(m_status.shared)},
                            {"error", seen.message},
                            {"duration_ms", round.durationMs}}});
    m_listener.onSyncRound(round);
    return seen;
  };
  if (!shared) {
    auto opened = openSharedDatabase(m_status.shared, false);
    if (!opened) {
      return failed(offlineOr(opened.error()));
    }
    shared = std::move(opened).value();
  }
  // A round after a time away may bring much: it is shown under way.
  if (m_status.link != SyncLink::Online) {
    m_status.link = SyncLink::Syncing;
    tell();
  }
  Synchronizer synchronizer(m_local, *shared, m_status.workstation);
  auto report = synchronizer.pass();
  if (!report) {
    return failed(report.error());
  }
  round.durationMs = sinceMs(started);
  round.report = std::move(report).value();
  if (round.report.movedAnything() || round.report.refused > 0) {
    observe::log(round.report.refused > 0 || round.report.conflicts > 0 ? observe::LogLevel::Warn
                                                                         : observe::LogLevel::Info,
                 "sync", "sync round",
                 {.correlationId = round.correlationId,
                  .workstation = m_status.workstation,
                  .extra = {{"shared", redactedTarget(m_status.shared)},
                            {"pushed", round.report.pushed},
                            {"pulled", round.report.pulled},
                            {"conflicts", round.report.conflicts},
                            {"refused", round.report.refused},
                            {"duration_ms", round.durationMs}}});
    m_listener.onSyncRound(round);
  }
  if (auto joined = readState(); !joined) {
    return failed(joined.error());
  }
  m_status.link = SyncLink::Online;
  m_status.offlineSinceMs.reset();
  m_status.retryAtMs.reset();
  m_status.lastError.clear();
  m_status.lastErrorCorrelationId.clear();
  tell();
  m_backoff = m_options.firstRetry;
  if (round.report.pulled + round.report.conflicts > 0) {
    return {}; // straight on: what the pull wrote goes up, and more may have come meanwhile
  }
  const auto interrupted = [this] {
    std::lock_guard lock(m_mutex);
    return stopping() || std::exchange(m_now, false);
  };
  auto work = synchronizer.waitForWork(m_options.roundAtLeastEvery, interrupted);
  return work ? Status{} : failed(work.error());
}

Status SyncLoop::run(const std::function<bool()>& stopRequested) {
  m_stopRequested = stopRequested;
  m_status = SyncStatus{};
  m_told.reset();
  m_backoff = m_options.firstRetry;
  std::mt19937_64 random{std::random_device{}()};
  std::unique_ptr<SharedDatabase> shared;
  while (!stopping()) {
    auto joined = readState();
    if (joined && !*joined) {
      shared.reset();
      m_status.link = SyncLink::NotJoined;
      tell();
      pause(m_options.notJoinedLook);
      continue;
    }
    Status round = joined ? oneRound(shared) : Status(joined.error());
    if (round) {
      continue;
    }
    if (round.error().code != ErrorCode::Unavailable) {
      m_status.link = SyncLink::Stopped;
      m_status.lastError = round.error().describe();
      tell();
      return round;
    }
    shared.reset();
    const std::int64_t now = store::nowMs();
    const milliseconds cap = m_backoff;
    const milliseconds wait(
        std::uniform_int_distribution<std::int64_t>(std::min(kLeastRetry, cap).count(), cap.count())(random));
    m_backoff = std::min(m_backoff * 2, m_options.mostBackoff);
    m_status.link = SyncLink::Offline;
    m_status.offlineSinceMs = m_status.offlineSinceMs.value_or(now);
    m_status.retryAtMs = now + wait.count();
    tell();
    pause(wait);
  }
  return {};
}

} // namespace opflow::sync
