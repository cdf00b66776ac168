// Engine: starts runs of catalogued operations and carries them through their flowcharts.
//
// Each run is advanced by one task at a time on the Executor (a worker pool, or the
// caller's thread in synchronous mode). A task executes nodes until the run ends or parks
// (a wait, or a call whose sub-run is working); signals, timers and finished sub-runs
// wake a parked run by posting a new task. Every state change goes to the RunStore with
// the run's whole record before listeners hear of it. Runs pin the CompiledOperation
// they started with. Cancellation is cooperative: a running handler sees its stop token;
// a parked run is cancelled at once, with its sub-runs. A handler's progress reports carry
// an ETA learned from the durations of the node's earlier steps (RunStore::typicalStepDurationUs).
// Thread-safety: every public member may be called from any thread.
#pragma once

#include "opflow/Result.h"
#include "opflow/engine/Clock.h"
#include "opflow/engine/Executor.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/engine/RunListener.h"
#include "opflow/engine/RunStore.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace opflow::engine {

struct EngineOptions {
  std::size_t workers = 0;         // 0: synchronous mode, runs advance on the calling thread
  std::int64_t stepLimit = 10'000; // steps after which a run fails with step_limit
  const Clock* clock = nullptr;    // nullptr: the system clock
};

struct StartRequest {
  std::string operation;
  std::optional<std::int64_t> version; // the latest when empty
  Json inputs = Json::object();
  RunContext context; // runId is assigned by the engine; correlationId generated when empty
};

// A supervisor's decision about an interrupted run: run its node again, skip to `node`
// (a node of the run's own definition version), or fail the run.
struct Decision {
  DecisionKind kind = DecisionKind::Retry;
  std::string node; // Skip: where the run goes on
};

// Why `actor` may not cancel a run started in `started`; none when they may. A run is
// cancelled by the person who started it or by a supervisor; a manager cancels nothing.
// An empty actor is the run's own context (in-process callers). The console asks it
// before offering the cancel; Engine::cancel enforces it.
[[nodiscard]] std::optional<std::string> cancelRefusal(const RunContext& started, const Actor& actor);

class Engine {
public:
  Engine(const OperationCatalog& catalog, RunStore& store, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Listeners added later hear only of runs started later. The listener must outlive the engine.
  void addListener(RunListener& listener);

  // Validates the inputs and the role (a manager starts nothing; otherwise the operation's
  // roles decide), then starts the run. A refused start names every
  // problem (ErrorCode::InvalidInputs, PermissionDenied or NotFound) and runs nothing.
  // Inputs past kInputLimits are refused before anything else, and the audit of the
  // refusal keeps the limit they broke instead of the inputs.
  // In synchronous mode it returns once the run has ended or parked.
  [[nodiscard]] Result<RunId> start(StartRequest request);

  // Delivers a signal to a run waiting for it. A run waiting for a sub-run passes the
  // signal down to the sub-run that waits. `actor` (who sent it) goes to the journal;
  // empty means the run's own context. A payload past kInputLimits (depth, size, bytes
  // that are not UTF-8) is refused with InvalidInputs and audited, and never kept.
  [[nodiscard]] Status signal(const RunId& runId, const std::string& name, Json payload = nullptr, Actor actor = {});

  // Cancels a run and its sub-runs: at once when parked, after the current handler otherwise.
  // Only the person who started the run or a supervisor may cancel it (an empty actor is
  // the run's own context); a manager cancels nothing. A refusal is PermissionDenied and
  // is audited (RunStore::actionRefused).
  [[nodiscard]] Status cancel(const RunId& runId, Actor actor = {});

  // A supervisor's decision about an interrupted run (see recover()): retry re-runs its
  // node (journaled as a retry), skip goes on at the named node, fail ends it failed
  // `interrupted`. Refused unless the actor's role is "supervisor" (PermissionDenied), the
  // run is interrupted (NotFound, Conflict) and a skip names a node of the run's own
  // definition version (InvalidArgument naming the valid ones). In synchronous mode it
  // returns once the run has ended or parked.
  [[nodiscard]] Status decide(const RunId& runId, Decision decision, Actor actor);

  // Wakes every run whose timer or timeout is due by the clock. In pool mode a timer
  // thread calls this; in synchronous mode the caller does.
  void fireDueTimers();
  [[nodiscard]] std::optional<TimePoint> nextTimerDue() const;

  // Resumes the unfinished runs of the store (after a restart): running runs re-enter
  // their current node, unless it is a non-idempotent action (then the run becomes
  // interrupted until decide()); parked runs park again; a parent whose sub-run ended
  // takes its outcome; a parent waiting on a sub-run the store never got re-enters its
  // call; overdue timers fire. Call it once, before anything else, on a fresh engine.
  [[nodiscard]] Status recover();

  // Blocks until no run is being advanced. For tests and the CLI, never a GUI thread.
  void waitUntilIdle();

  // The run as the store has it; a live run in a handler that reported progress comes with
  // that progress (RunRecord::progress: fraction, message, ETA).
  [[nodiscard]] std::optional<RunRecord> runRecord(const RunId& runId) const;
  // Runs that are running, waiting or interrupted, with their live progress as runRecord().
  [[nodiscard]] std::vector<RunRecord> activeRuns() const;

  [[nodiscard]] const OperationCatalog& catalog() const { return m_catalog; }

private:
  struct Run;
  using RunPtr = std::shared_ptr<Run>;
  using ListenerList = std::shared_ptr<const std::vector<RunListener*>>;

  [[nodiscard]] Result<RunPtr> createRun(StartRequest request, const RunId& parent);
  void schedule(const RunPtr& run);
  void drive(const RunPtr& run);
  // Parks `run` for `signal`, `child` and/or a timer `afterS` from now; with `deadlineAs`
  // the timer's deadline is the one that field keeps (see WaitNode), saved on first entry.
  void park(const RunPtr& run, const std::string& signal, std::optional<double> afterS, const RunId& child,
            RunChange change, const std::string& deadlineAs = {});
  void finish(const RunPtr& run, RunState state, const StepRecord* step, const RunChange& change = {});
  [[nodiscard]] RunChange cancelChange(const RunPtr& run) const;
  // Audits a refused action on `run` (RunStore::actionRefused) and gives `error` back.
  [[nodiscard]] Status refuse(const RunPtr& run, const std::string& action, const Actor& actor, Error error);
  // Applies a supervisor's decision taken by drive(); false when it ended the run.
  [[nodiscard]] bool applyDecision(const RunPtr& run, const Decision& decision, const Actor& actor);
  void notifyParent(const RunPtr& child);
  void cancelLocked(const RunPtr& run, const Actor& actor, std::vector<RunPtr>& toSchedule, std::vector<RunPtr>& toPost);
  void timerLoop();
  [[nodiscard]] TimePoint now() const;
  [[nodiscard]] RunPtr findActive(const RunId& runId) const;

  const OperationCatalog& m_catalog;
  RunStore& m_store;
  EngineOptions m_options;
  const Clock& m_clock;
  std::unique_ptr<Executor> m_executor;

  mutable std::mutex m_mutex;
  ListenerList m_listeners;
  std::unordered_map<RunId, RunPtr> m_active;
  std::multimap<TimePoint, RunId> m_timers;

  std::condition_variable m_timerWake;
  bool m_stopping = false;
  std::atomic<bool> m_shuttingDown = false;
  std::thread m_timerThread;
};

} // namespace opflow::engine
