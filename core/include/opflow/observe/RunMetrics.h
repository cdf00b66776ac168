// RunMetrics: the live RED metrics of this process's engine, kept as it works (a
// RunListener): runs started and ended per operation and how they ended, their durations,
// steps, step errors and step durations per operation and node, and the runs running and
// waiting now. families() renders them for /metrics (MetricFamily). Runs the engine
// resumed after a restart, started before this listener, count under the operation
// "(resumed)" until they end. A step costs one lock and two map lookups.
// Thread-safety: thread-safe (the engine's workers call it; anyone may read families()).
#pragma once

#include "opflow/engine/RunListener.h"
#include "opflow/observe/MetricFamily.h"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace opflow::observe {

class RunMetrics final : public engine::RunListener {
public:
  void onRunStarted(const engine::RunStartedEvent& event) override;
  void onRunRejected(const engine::RunRejectedEvent& event) override;
  void onStepEntered(const engine::StepEnteredEvent& event) override;
  void onStepFinished(const engine::StepFinishedEvent& event) override;
  void onWaiting(const engine::WaitingEvent& event) override;
  void onCompleted(const engine::CompletedEvent& event) override;
  void onFailed(const engine::FailedEvent& event) override;
  void onCancelled(const engine::CancelledEvent& event) override;

  // opflow_engine_runs_started_total{operation}, opflow_engine_runs_rejected_total{operation},
  // opflow_engine_runs_ended_total{operation,state}, opflow_engine_run_duration_seconds{operation,state},
  // opflow_engine_steps_total{operation,node}, opflow_engine_step_errors_total{operation,node},
  // opflow_engine_step_duration_seconds{operation,node}, opflow_engine_runs{state} (running, waiting).
  [[nodiscard]] std::vector<MetricFamily> families() const;

private:
  struct LiveRun {
    std::string operation;
    std::chrono::steady_clock::time_point startedAt;
    bool waiting = false;
  };
  struct StepTally {
    std::uint64_t steps = 0;
    std::uint64_t errors = 0;
    HistogramValue durations;
  };
  using OperationNode = std::pair<std::string, std::string>;
  using OperationState = std::pair<std::string, std::string>;

  LiveRun& liveRun(const engine::RunId& runId); // under m_mutex
  void ended(const engine::RunId& runId, const char* state);

  mutable std::mutex m_mutex;
  std::unordered_map<engine::RunId, LiveRun> m_live;
  std::map<std::string, std::uint64_t> m_started;
  std::map<std::string, std::uint64_t> m_rejected;
  std::map<OperationState, HistogramValue> m_ended; // its count is the runs ended
  std::map<OperationNode, StepTally> m_steps;
};

} // namespace opflow::observe
