#include "opflow/engine/InMemoryRunStore.h"

namespace opflow::engine {

Status InMemoryRunStore::runCreated(const RunRecord& run) {
  std::lock_guard lock(m_mutex);
  m_runs[run.id] = run;
  return {};
}

Status InMemoryRunStore::startRejected(const RejectedStart& rejected) {
  std::lock_guard lock(m_mutex);
  m_rejected.push_back(rejected);
  return {};
}

Status InMemoryRunStore::actionRefused(const RefusedAction& refused) {
  std::lock_guard lock(m_mutex);
  m_refused.push_back(refused);
  return {};
}

Status InMemoryRunStore::stepFinished(const RunRecord& run, const StepRecord& step, const RunChange& change) {
  std::lock_guard lock(m_mutex);
  if (change.kind != ChangeKind::Step) {
    m_changes.emplace_back(run.id, change);
  }
  RunRecord& stored = m_runs[run.id];
  if (isTerminal(run.state)) {
    stored = run;
  } else {
    // Between checkpoints only the position is kept: copying the data at every step
    // would cost more than the step itself, and nothing here survives a crash anyway.
    stored.state = run.state;
    stored.currentNode = run.currentNode;
    stored.stepCount = run.stepCount;
    stored.updatedAt = run.updatedAt;
  }
  m_steps[run.id].push_back(step);
  if (step.error.empty() && step.exit.empty()) {
    auto operation = m_durations.find(run.operation);
    if (operation == m_durations.end()) {
      operation = m_durations.emplace(run.operation, NodeDurations{}).first;
    }
    auto node = operation->second.find(step.node);
    if (node == operation->second.end()) {
      node = operation->second.emplace(step.node, std::deque<std::int64_t>{}).first;
    }
    std::deque<std::int64_t>& durations = node->second;
    durations.push_back(step.durationUs);
    if (durations.size() > kTypicalSamples) {
      durations.pop_front();
    }
  }
  return {};
}

Status InMemoryRunStore::runUpdated(const RunRecord& run, const RunChange& change) {
  std::lock_guard lock(m_mutex);
  if (change.kind != ChangeKind::Step) {
    m_changes.emplace_back(run.id, change);
  }
  m_runs[run.id] = run;
  return {};
}

std::optional<RunRecord> InMemoryRunStore::loadRun(const RunId& id) const {
  std::lock_guard lock(m_mutex);
  auto found = m_runs.find(id);
  return found == m_runs.end() ? std::nullopt : std::optional<RunRecord>(found->second);
}

std::vector<StepRecord> InMemoryRunStore::loadSteps(const RunId& id) const {
  std::lock_guard lock(m_mutex);
  auto found = m_steps.find(id);
  return found == m_steps.end() ? std::vector<StepRecord>{} : found->second;
}

std::vector<RunRecord> InMemoryRunStore::loadUnfinished() const {
  std::lock_guard lock(m_mutex);
  std::vector<RunRecord> result;
  for (const auto& [id, run] : m_runs) {
    if (!isTerminal(run.state)) {
      result.push_back(run);
    }
  }
  return result;
}

std::optional<std::int64_t> InMemoryRunStore::typicalStepDurationUs(const std::string& operation,
                                                                   const std::string& node) const {
  std::lock_guard lock(m_mutex);
  auto byOperation = m_durations.find(operation);
  if (byOperation == m_durations.end()) {
    return std::nullopt;
  }
  auto found = byOperation->second.find(node);
  if (found == byOperation->second.end()) {
    return std::nullopt;
  }
  return medianDurationUs({found->second.begin(), found->second.end()});
}

std::vector<RejectedStart> InMemoryRunStore::rejectedStarts() const {
  std::lock_guard lock(m_mutex);
  return m_rejected;
}

std::vector<RefusedAction> InMemoryRunStore::refusedActions() const {
  std::lock_guard lock(m_mutex);
  return m_refused;
}

std::vector<RunRecord> InMemoryRunStore::allRuns() const {
  std::lock_guard lock(m_mutex);
  std::vector<RunRecord> result;
  for (const auto& [id, run] : m_runs) {
    result.push_back(run);
  }
  return result;
}

std::vector<std::pair<RunId, RunChange>> InMemoryRunStore::changes() const {
  std::lock_guard lock(m_mutex);
  return m_changes;
}

} // namespace opflow::engine
