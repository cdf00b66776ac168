#include "opflow/observe/RunMetrics.h"

#include "opflow/store/NodeStatistics.h"

namespace opflow::observe {

namespace {

constexpr const char* kResumed = "(resumed)";

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

RunMetrics::LiveRun& RunMetrics::liveRun(const engine::RunId& runId) {
  auto [found, added] = m_live.try_emplace(runId);
  if (added) {
    found->second = LiveRun{kResumed, std::chrono::steady_clock::now(), false};
  }
  return found->second;
}

void RunMetrics::onRunStarted(const engine::RunStartedEvent& event) {
  std::lock_guard lock(m_mutex);
  m_live.insert_or_assign(event.runId, LiveRun{event.operation, std::chrono::steady_clock::now(), false});
  ++m_started[event.operation];
}

void RunMetrics::onRunRejected(const engine::RunRejectedEvent& event) {
  std::lock_guard lock(m_mutex);
  ++m_rejected[event.operation];
}

void RunMetrics::onStepEntered(const engine::StepEnteredEvent& event) {
  std::lock_guard lock(m_mutex);
  liveRun(event.runId).waiting = false;
}

void RunMetrics::onStepFinished(const engine::StepFinishedEvent& event) {
  std::lock_guard lock(m_mutex);
  LiveRun& run = liveRun(event.step.runId);
  run.waiting = false;
  StepTally& tally = m_steps[{run.operation, event.step.node}];
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

void RunMetrics::ended(const engine::RunId& runId, const char* state) {
  std::lock_guard lock(m_mutex);
  auto found = m_live.find(runId);
  std::string operation = found == m_live.end() ? kResumed : found->second.operation;
  double seconds = found == m_live.end() ? 0.0 : secondsSince(found->second.startedAt);
  m_ended[{operation, state}].observe(seconds);
  if (found != m_live.end()) {
    m_live.erase(found);
  }
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
  for (const auto& [operation, count] : m_started) {
    started.at({{"operation", operation}}).value = static_cast<double>(count);
  }
  for (const auto& [operation, count] : m_rejected) {
    rejected.at({{"operation", operation}}).value = static_cast<double>(count);
  }
  for (const auto& [key, durations] : m_ended) {
    Labels labels{{"operation", key.first}, {"state", key.second}};
    endedRuns.at(labels).value = static_cast<double>(durations.count);
    runDuration.at(labels).histogram = durations;
  }
  for (const auto& [key, tally] : m_steps) {
    Labels labels{{"operation", key.first}, {"node", key.second}};
    steps.at(labels).value = static_cast<double>(tally.steps);
    stepErrors.at(labels).value = static_cast<double>(tally.errors);
    stepDuration.at(labels).histogram = tally.durations;
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
