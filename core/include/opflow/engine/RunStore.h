// RunStore: where the engine journals runs. The engine calls it at every state change,
// passing the run's whole record, so a durable store can commit state, current node, data
// and the step together. InMemoryRunStore serves tests and the stateless CLI; the SQLite
// store plugs in here.
// Thread-safety: called from engine worker threads concurrently for different runs;
// implementations must be thread-safe.
#pragma once

#include "opflow/Result.h"
#include "opflow/engine/RunRecord.h"

#include <optional>
#include <vector>

namespace opflow::engine {

struct RejectedStart {
  std::string operation;
  RunContext context;
  Json inputs;
  Error error;
  TimePoint at;
};

class RunStore {
public:
  virtual ~RunStore() = default;

  [[nodiscard]] virtual Status runCreated(const RunRecord& run) = 0;
  [[nodiscard]] virtual Status startRejected(const RejectedStart& rejected) = 0;
  // A step finished; `run` already reflects it (state, current node, data, step count).
  [[nodiscard]] virtual Status stepFinished(const RunRecord& run, const StepRecord& step) = 0;
  // A change without a step: parked in a wait, woken, cancelled.
  [[nodiscard]] virtual Status runUpdated(const RunRecord& run) = 0;

  [[nodiscard]] virtual std::optional<RunRecord> loadRun(const RunId& id) const = 0;
  [[nodiscard]] virtual std::vector<StepRecord> loadSteps(const RunId& id) const = 0;
  // Runs that are running, waiting or interrupted: what the engine resumes on start.
  [[nodiscard]] virtual std::vector<RunRecord> loadUnfinished() const = 0;
};

} // namespace opflow::engine
