// RunStore: where the engine journals runs. The engine calls it at every state change,
// passing the run's whole record and why it changed (a RunChange: a signal with its
// payload and sender, a cancel and who asked, a supervisor's decision...), so a durable
// store can commit state, current node, data, the step and its audit entries together.
// InMemoryRunStore serves tests and the stateless CLI; SqliteRunStore is the durable one.
// Thread-safety: called from engine worker threads concurrently for different runs;
// implementations must be thread-safe. Calls for one run arrive in order.
#pragma once

#include "opflow/Result.h"
#include "opflow/engine/RunRecord.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opflow::engine {

struct RejectedStart {
  std::string operation;
  RunContext context;
  Json inputs;
  Error error;
  TimePoint at;
};

// Who acts on a run from outside it (signals, cancels, decides). Empty: the run's own context.
struct Actor {
  std::string user;
  std::string role;
  std::string workstation;

  [[nodiscard]] bool empty() const { return user.empty() && role.empty() && workstation.empty(); }
};

// An action on a run that core refused before it changed anything: a cancel by someone
// who may not cancel that run, a signal whose payload breaks the input limits. The run
// itself is untouched; the refusal is audited against it.
struct RefusedAction {
  RunId runId;
  std::string operation;
  RunContext context; // the run's, for its correlation id and order
  Json inputs;        // the run's, for the order number
  std::string action; // "cancel", "signal"
  Actor actor;        // who asked
  Error error;        // why it was refused
  TimePoint at;
};

enum class ChangeKind {
  Step,        // the run's own progress (the default)
  Parked,      // it parks in a wait or a call
  Signalled,   // a signal woke it (the step of the wait follows in the same change)
  TimerFired,  // a timer or timeout woke it
  ChildEnded,  // the sub-run it waited for ended
  Cancelled,   // someone cancelled it (or its parent)
  Interrupted, // after a restart, at a non-idempotent handler: a supervisor must decide
  Decided,     // a supervisor decided about an interrupted run
  Stopped,     // the engine stopped with the run in flight: nothing happened to the run itself
};

enum class DecisionKind { Retry, Skip, Fail };

[[nodiscard]] const char* toString(DecisionKind kind);

// The median of `durationsUs` (the mean of the middle two for an even count); none when empty.
[[nodiscard]] std::optional<std::int64_t> medianDurationUs(std::vector<std::int64_t> durationsUs);

// Why a run changed, for the audit log: what happened and who caused it.
struct RunChange {
  ChangeKind kind = ChangeKind::Step;
  Actor actor;        // set when someone other than the run's context caused the change
  std::string signal; // Signalled: its name
  Json payload;       // Signalled: its payload
  DecisionKind decision = DecisionKind::Retry; // Decided
  std::string target;                          // Decided Skip: the node skipped to
};

class RunStore {
public:
  virtual ~RunStore() = default;

  [[nodiscard]] virtual Status runCreated(const RunRecord& run) = 0;
  [[nodiscard]] virtual Status startRejected(const RejectedStart& rejected) = 0;
  [[nodiscard]] virtual Status actionRefused(const RefusedAction& refused) = 0;
  // A step finished; `run` already reflects it (state, current node, data, step count).
  [[nodiscard]] virtual Status stepFinished(const RunRecord& run, const StepRecord& step, const RunChange& change) = 0;
  // A change without a step: parked in a wait, cancelled, interrupted, decided, stopped.
  [[nodiscard]] virtual Status runUpdated(const RunRecord& run, const RunChange& change) = 0;

  [[nodiscard]] Status stepFinished(const RunRecord& run, const StepRecord& step) {
    return stepFinished(run, step, RunChange{});
  }
  [[nodiscard]] Status runUpdated(const RunRecord& run) { return runUpdated(run, RunChange{}); }

  [[nodiscard]] virtual std::optional<RunRecord> loadRun(const RunId& id) const = 0;
  [[nodiscard]] virtual std::vector<StepRecord> loadSteps(const RunId& id) const = 0;
  // Runs that are running, waiting or interrupted: what the engine resumes on start.
  [[nodiscard]] virtual std::vector<RunRecord> loadUnfinished() const = 0;

  // How long a step of `node` in `operation` typically takes: the median duration of its
  // last kTypicalSamples steps that ended well: without an error and by the node's default
  // way on (a handler's "failed" or "timeout" exit cuts the work short or overruns it, and
  // says little about it), in microseconds; none without such history. The engine asks
  // at most once per entry into a node, when its handler first reports progress, so an
  // answer may lag the latest steps by a moment. A store without history says none.
  [[nodiscard]] virtual std::optional<std::int64_t> typicalStepDurationUs(const std::string& /*operation*/,
                                                                          const std::string& /*node*/) const {
    return std::nullopt;
  }
  static constexpr std::size_t kTypicalSamples = 20;
};

} // namespace opflow::engine
