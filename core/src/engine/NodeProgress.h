// NodeProgress: what becomes of a handler's progress reports. Each report goes to the
// listeners as a ProgressEvent with an ETA, and is kept as the run's live progress until
// the run leaves the node.
//
// The ETA learns from history. With f the fraction the handler reports, e the time since
// the node was entered and T the typical duration of the node's earlier steps
// (RunStore::typicalStepDurationUs, asked at the first report after each entry into the
// node), the time left is
//     (1 - f) * max(T - e, 0)  +  f * e (1 - f) / f
// that is the history's answer at first, and this step's own pace as it gets on (both
// agree when the step goes at its typical pace). Without history only the pace counts,
// which says nothing before the first report above 0: that report has no ETA.
// Thread-safety: used by the one task that drives the run; the LiveProgress it writes is
// readable from any thread.
#pragma once

#include "LiveProgress.h"
#include "NodeExecutor.h"
#include "opflow/engine/Clock.h"
#include "opflow/engine/RunListener.h"
#include "opflow/engine/RunStore.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace opflow::engine::detail {

// The time left in a step, by the formula above; none without history at fraction 0.
[[nodiscard]] std::optional<std::int64_t> remainingUs(double fraction, std::int64_t elapsedUs,
                                                      std::optional<std::int64_t> typicalUs);

class NodeProgress final : public ProgressSink {
public:
  NodeProgress(const RunStore& store, const Clock& clock, const std::vector<RunListener*>& listeners,
               const RunRecord& record, LiveProgress& live);

  // The run enters `node` (its step started at `enteredAt`): reports are timed from there.
  // `node` is the compiled node's name, which outlives the step.
  void enter(const std::string& node, SteadyTimePoint enteredAt);
  // The run left the node: its progress is no longer live.
  void leave();

  void report(double fraction, const std::string& message) override;

private:
  const RunStore& m_store;
  const Clock& m_clock;
  const std::vector<RunListener*>& m_listeners;
  const RunRecord& m_record;
  LiveProgress& m_live;
  const std::string* m_node = nullptr;
  SteadyTimePoint m_enteredAt;
  std::optional<std::optional<std::int64_t>> m_typicalUs; // looked up once per entry
  bool m_published = false; // the live progress holds a report of this entry
};

} // namespace opflow::engine::detail
