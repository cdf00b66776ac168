// RunMetrics: the live RED metrics of this process's engine, kept as it works (a
// RunListener): runs started and ended per operation and how they ended, their durations,
// steps, step errors and step durations per operation and node, and the runs running and
// waiting now. families() renders them for /metrics (MetricFamily). Runs the engine
// resumed after a restart, started before this listener, count under the operation
// "(resumed)" until they end. A step costs one lock, finding its run (the last one
// asked of is remembered) and its node among its operation's; nothing is allocated.
// Thread-safety: thread-safe (the engine's workers call it; anyone may read families()).
#pragma once

#include "opflow/engine/RunListener.h"
#include "opflow/observe/MetricFamily.h"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace opflow::observe {

class RunMetrics final : public engine::RunListener {
public:
  void onRunStarted(const engine::RunStartedEvent& event) override;
  void onRunRejected(const engine::RunRejectedEvent& event) override;
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
  struct StepTally {
    std::uint64_t steps = 0;
    std::uint64_t errors = 0;
    HistogramValue durations;
  };
  // One operation's figures; its address never changes (a node of a std::map).
  struct OperationTally {
    std::uint64_t started = 0;
    std::uint64_t rejected = 0;
    std::map<std::string, HistogramValue, std::less<>> ended; // by state; its count is the runs ended
    std::map<std::string, StepTally, std::less<>> nodes;
  };
  struct LiveRun {
    OperationTally* operation = nullptr;
    std::chrono::steady_clock::time_point startedAt;
    bool waiting = false; // until its wait's step is journaled
  };

  OperationTally& operation(std::string_view name);              // under m_mutex
  LiveRun& liveRun(const engine::RunId& runId);                   // under m_mutex
  void ended(const engine::RunId& runId, std::string_view state);

  mutable std::mutex m_mutex;
  std::map<std::string, OperationTally, std::less<>> m_operations;
  std::unordered_map<engine::RunId, LiveRun> m_live;
  engine::RunId m_lastRunId; // the run liveRun found last, and where
  LiveRun* m_lastRun = nullptr;
};

} // namespace opflow::observe
