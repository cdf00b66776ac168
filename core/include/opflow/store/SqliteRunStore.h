// SqliteRunStore: the durable engine::RunStore, over the workstation's LocalStore.
//
// Every change of a run (created, step finished, updated) is one unit of the store's
// writer: the run row (state, node, data, wake time, awaited signal or child, error,
// step count...), the step row and the change's audit entries (run.started, run.step,
// run.signal, run.waiting, run.cancelled, run.interrupted, run.decision, run.completed,
// run.failed; a refused start is run.refused, a refused cancel or signal
// run.cancel_refused or run.signal_refused) go into one savepoint of the writer's group
// transaction, plus a "run.summary" outbox event when the run ends. The engine does not
// wait: units are posted in the order the engine reports them (so a run's changes commit
// in order, and a crash loses at most the last few milliseconds, never half a change),
// and group commit makes a step cost a fraction of one fsync. Rows are serialised on the
// caller's thread, so the writer thread only binds and inserts; the inputs and the
// context, which never change, are written once, at creation.
//
// Reads (loadRun, loadSteps, loadUnfinished, listRuns) go to a reader connection and see
// committed state. So that a caller always reads its own writes (the synchronous CLI
// reads a run right after the engine changed it), a read first waits for the writer to
// commit what was posted before it, but only when something was posted since the last
// such wait: reading an unchanged store costs no flush, and no record is kept in memory.
//
// typicalStepDurationUs is one query over indexes the schema has (runs_by_operation, then
// each run's steps by primary key), bounded to the operation's last kTypicalRunWindow
// runs, so a node that few runs reach costs no more than one that all reach. It skips
// the read barrier: the engine asks it mid-step, where a flush would stall the run, and a
// typical duration does not need the last few milliseconds of steps.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include "opflow/engine/RunStore.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/LocalStore.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace opflow::store {

struct RunQuery {
  std::optional<engine::RunState> state;
  std::string operation; // empty: every operation
  std::string order;     // empty: every run; else the runs with this "order" input and their sub-runs
  std::size_t limit = 1000;
};

// A run as lists show it.
struct RunSummary {
  std::string id;
  std::string parentId;
  std::string operation;
  std::int64_t version = 0;
  engine::RunState state = engine::RunState::Running;
  std::string node;
  std::int64_t createdAtMs = 0;
  std::int64_t updatedAtMs = 0;
  // When the sync found that the shared database did not take this run's change of its
  // order (a conflict or a refusal: see `opflow-cli conflicts list`); nothing when it did.
  std::optional<std::int64_t> conflictedAtMs;
};

class SqliteRunStore final : public engine::RunStore {
public:
  explicit SqliteRunStore(LocalStore& store) : m_store(store) {}
  // Waits for what it posted (a unit that fails after this store is gone would report to
  // it); a store that only read opens no write connection for it.
  ~SqliteRunStore() override;
  SqliteRunStore(const SqliteRunStore&) = delete;
  SqliteRunStore& operator=(const SqliteRunStore&) = delete;

  [[nodiscard]] Status runCreated(const engine::RunRecord& run) override;
  [[nodiscard]] Status startRejected(const engine::RejectedStart& rejected) override;
  [[nodiscard]] Status actionRefused(const engine::RefusedAction& refused) override;
  [[nodiscard]] Status stepFinished(const engine::RunRecord& run, const engine::StepRecord& step,
                                    const engine::RunChange& change) override;
  [[nodiscard]] Status runUpdated(const engine::RunRecord& run, const engine::RunChange& change) override;
  using RunStore::runUpdated;
  using RunStore::stepFinished;

  [[nodiscard]] std::optional<engine::RunRecord> loadRun(const engine::RunId& id) const override;
  [[nodiscard]] std::vector<engine::StepRecord> loadSteps(const engine::RunId& id) const override;
  [[nodiscard]] std::vector<engine::RunRecord> loadUnfinished() const override;
  [[nodiscard]] std::optional<std::int64_t> typicalStepDurationUs(const std::string& operation,
                                                                  const std::string& node) const override;
  // How many of an operation's latest runs typicalStepDurationUs looks through.
  static constexpr std::int64_t kTypicalRunWindow = 500;

  // Newest first.
  [[nodiscard]] Result<std::vector<RunSummary>> listRuns(const RunQuery& query) const;
  // The orders that have a top-level run of `operation`, in any state (batch work skips them).
  [[nodiscard]] Result<std::set<std::string>> ordersWorkedBy(const std::string& operation) const;
  // Waits until every change reported so far is committed (durable at the store's
  // synchronous level); the first failure of a journaled change since the last flush.
  [[nodiscard]] Status flush();

private:
  void post(StoreWriter::Work work);
  // Posts a unit of one audit entry (a refusal).
  void postAudit(AuditEntry entry);
  // Makes the reader see this store's own writes (see the top comment).
  void readBarrier() const;

  LocalStore& m_store;
  mutable std::atomic<std::uint64_t> m_posted{0};
  mutable std::atomic<std::uint64_t> m_committed{0};
  std::mutex m_failureMutex;
  std::optional<Error> m_firstFailure; // of a posted change since the last flush()
};

// Stored times are UTC milliseconds.
[[nodiscard]] std::int64_t toMs(engine::TimePoint at);
[[nodiscard]] engine::TimePoint fromMs(std::int64_t ms);
[[nodiscard]] std::optional<engine::RunState> runStateFromString(std::string_view text);

} // namespace opflow::store
