// InMemoryRunStore: a RunStore that keeps every run and step in memory.
// For tests, benchmarks and the CLI's one-shot runs; nothing survives the process.
// Thread-safety: all members may be called from any thread.
#pragma once

#include "opflow/engine/RunStore.h"

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace opflow::engine {

class InMemoryRunStore final : public RunStore {
public:
  [[nodiscard]] Status runCreated(const RunRecord& run) override;
  [[nodiscard]] Status startRejected(const RejectedStart& rejected) override;
  [[nodiscard]] Status actionRefused(const RefusedAction& refused) override;
  [[nodiscard]] Status stepFinished(const RunRecord& run, const StepRecord& step, const RunChange& change) override;
  [[nodiscard]] Status runUpdated(const RunRecord& run, const RunChange& change) override;
  using RunStore::runUpdated;
  using RunStore::stepFinished;

  [[nodiscard]] std::optional<RunRecord> loadRun(const RunId& id) const override;
  [[nodiscard]] std::vector<StepRecord> loadSteps(const RunId& id) const override;
  [[nodiscard]] std::vector<RunRecord> loadUnfinished() const override;
  [[nodiscard]] std::optional<std::int64_t> typicalStepDurationUs(const std::string& operation,
                                                                  const std::string& node) const override;

  [[nodiscard]] std::vector<RejectedStart> rejectedStarts() const;
  [[nodiscard]] std::vector<RefusedAction> refusedActions() const;
  [[nodiscard]] std::vector<RunRecord> allRuns() const;
  // Every change the engine reported, in order (what a durable store would audit).
  [[nodiscard]] std::vector<std::pair<RunId, RunChange>> changes() const;

private:
  mutable std::mutex m_mutex;
  std::unordered_map<RunId, RunRecord> m_runs;
  std::unordered_map<RunId, std::vector<StepRecord>> m_steps;
  std::vector<RejectedStart> m_rejected;
  std::vector<RefusedAction> m_refused;
  std::vector<std::pair<RunId, RunChange>> m_changes;
  // The durations of the last kTypicalSamples error-free steps of each operation's nodes
  // (nested maps with transparent lookup: journaling a step copies no names).
  using NodeDurations = std::map<std::string, std::deque<std::int64_t>, std::less<>>;
  std::map<std::string, NodeDurations, std::less<>> m_durations;
};

} // namespace opflow::engine
