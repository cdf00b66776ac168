#include "opflow/observe/RunMetrics.h"

#include "opflow/store/NodeStatistics.h"

namespace opflow::observe {

namespace {

constexpr std::string_view kResumed = "(resumed)";

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <typename Map>
typename Map::mapped_type& entry(Map& map, std::string_view key) {
  auto found = map.find(key);
  if (found == map.end()) {
    found = map.try_emplace(std::string(key)).first;
  }
  return found->second;
}

} // namespace

RunMetrics::OperationTally& RunMetrics::operation(std::string_view name) { return entry(m_operations, name); }

RunMetrics::LiveRun& RunMetrics::liveRun(const engine::RunId& runId) {
  if (m_lastRun && m_lastRunId == runId) {
    return *m_lastRun;
  }
  auto [found, added] = m_live.try_emplace(runId);
  if (added) {
    found->second = LiveRun{&operation(kResumed), std::chrono::steady_clock::now(), false};
  }
  m_lastRunId = runId;
  m_lastRun = &found->second;
  return found->second;
}

void RunMetrics::onRunStarted(const engine::RunStartedEvent& event) {
  std::lock_guard lock(m_mutex);
  OperationTally& tally = operation(event.operation);
  ++tally.started;
  m_live.insert_or_assign(event.runId, LiveRun{&tally, std::chrono::steady_clock::now(), false});
}

void RunMetrics::onRunRejected(const engine::RunRejectedEvent& event) {
  std::lock_guard lock(m_mutex);
  ++operation(event.operation).rejected;
}

void RunMetrics::onStepFinished(const engine::StepFinishedEvent& event) {
  std::lock_guard lock(m_mutex);
  LiveRun& run = liveRun(event.step.runId);
  run.waiting = false;
  StepTally& tally = entry(run.operation->nodes, event.step.node);
  ++tally.steps;
  if (store::isErrorStep(event.step.error, event.step.exit)) {
    ++tally.errors;
  }
  tally.durations.observe(static_cast<double>(event.step.durationUs) / 1e6);
}

void RunMetrics::onWaiting(const engine::WaitingEvent& event) {
  std::lock_guard lock(m_mutex);
  liveRun(event.runId).waiting = true;
}

void RunMetrics::ended(const engine::RunId& runId, std::string_view state) {
  std::lock_guard lock(m_mutex);
  auto found = m_live.find(runId);
  if (found == m_live.end()) {
    entry(operation(kResumed).ended, state).observe(0.0);
    return;
  }
  entry(found->second.operation->ended, state).observe(secondsSince(found->second.startedAt));
  if (m_lastRun == &found->second) {
    m_lastRun = nullptr;
  }
  m_live.erase(found);
}

void RunMetrics::onCompleted(const engine::CompletedEvent& event) { ended(event.runId, "completed"); }
void RunMetrics::onFailed(const engine::FailedEvent& event) { ended(event.runId, "failed"); }
void RunMetrics::onCancelled(const engine::CancelledEvent& event) { ended(event.runId, "cancelled"); }

std::vector<MetricFamily> RunMetrics::families() const {
  MetricFamily started{"opflow_engine_runs_started_total", "Runs this process's engine started, by operation",
                       MetricType::Counter, {}, {}};
  MetricFamily rejected{"opflow_engine_runs_rejected_total", "Starts refused before a run began, by operation",
                        MetricType::Counter, {}, {}};
  MetricFamily endedRuns{"opflow_engine_runs_ended_total", "Runs that ended, by operation and how",
                         MetricType::Counter, {}, {}};
  MetricFamily runDuration{"opflow_engine_run_duration_seconds", "Ended runs: from start (or resume) to end",
                           MetricType::Histogram, durationBucketsS(), {}};
  MetricFamily steps{"opflow_engine_steps_total", "Steps, by operation and node", MetricType::Counter, {}, {}};
  MetricFamily stepErrors{"opflow_engine_step_errors_total",
                          "Steps that ended in an error or left by a failed, failure or timeout exit",
                          MetricType::Counter, {}, {}};
  MetricFamily stepDuration{"opflow_engine_step_duration_seconds", "Step durations, by operation and node",
                            MetricType::Histogram, durationBucketsS(), {}};
  MetricFamily active{"opflow_engine_runs", "Runs in the engine now, running or waiting", MetricType::Gauge, {}, {}};

  std::lock_guard lock(m_mutex);
  for (const auto& [name, tally] : m_operations) {
    if (tally.started > 0) {
      started.at({{"operation", name}}).value = static_cast<double>(tally.started);
    }
    if (tally.rejected > 0) {
      rejected.at({{"operation", name}}).value = static_cast<double>(tally.rejected);
    }
    for (const auto& [state, durations] : tally.ended) {
      Labels labels{{"operation", name}, {"state", state}};
      endedRuns.at(labels).value = static_cast<double>(durations.count);
      runDuration.at(labels).histogram = durations;
    }
    for (const auto& [node, step] : tally.nodes) {
      Labels labels{{"operation", name}, {"node", node}};
      steps.at(labels).value = static_cast<double>(step.steps);
      stepErrors.at(labels).value = static_cast<double>(step.errors);
      stepDuration.at(labels).histogram = step.durations;
    }
  }
  std::uint64_t waiting = 0;
  for (const auto& [id, run] : m_live) {
    waiting += run.waiting ? 1 : 0;
  }
  active.at({{"state", "running"}}).value = static_cast<double>(m_live.size() - waiting);
  active.at({{"state", "waiting"}}).value = static_cast<double>(waiting);
  return {started, rejected, endedRuns, runDuration, steps, stepErrors, stepDuration, active};
}

} // namespace opflow::observe
