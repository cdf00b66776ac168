#include "NodeProgress.h"

#include <algorithm>
#include <cmath>

namespace opflow::engine::detail {

std::optional<std::int64_t> remainingUs(double fraction, std::int64_t elapsedUs, std::optional<std::int64_t> typicalUs) {
  double f = std::clamp(fraction, 0.0, 1.0);
  auto elapsed = static_cast<double>(std::max<std::int64_t>(elapsedUs, 0));
  double byPace = f > 0.0 ? elapsed * (1.0 - f) / f : 0.0;
  if (!typicalUs) {
    if (f <= 0.0) {
      return std::nullopt;
    }
    return std::llround(byPace);
  }
  double byHistory = std::max(static_cast<double>(*typicalUs) - elapsed, 0.0);
  return std::llround((1.0 - f) * byHistory + f * byPace);
}

NodeProgress::NodeProgress(const RunStore& store, const Clock& clock, const std::vector<RunListener*>& listeners,
                           const RunRecord& record, LiveProgress& live)
    : m_store(store), m_clock(clock), m_listeners(listeners), m_record(record), m_live(live) {}

void NodeProgress::enter(const std::string& node, SteadyTimePoint enteredAt) {
  m_node = &node;
  m_enteredAt = enteredAt;
  m_typicalUs.reset();
}

void NodeProgress::leave() {
  if (m_published) {
    m_live.clear();
    m_published = false;
  }
}

void NodeProgress::report(double fraction, const std::string& message) {
  if (!m_typicalUs) {
    m_typicalUs = m_store.typicalStepDurationUs(m_record.operation, *m_node);
  }
  auto elapsedUs =
      std::chrono::duration_cast<std::chrono::microseconds>(m_clock.steadyNow() - m_enteredAt).count();
  std::optional<std::int64_t> etaMs;
  if (auto left = remainingUs(fraction, elapsedUs, *m_typicalUs)) {
    etaMs = (*left + 500) / 1000;
  }
  m_live.set(RunProgress{*m_node, fraction, message, etaMs, m_clock.now()});
  m_published = true;
  ProgressEvent event{m_record.id, fraction, message, false, etaMs};
  for (RunListener* listener : m_listeners) {
    listener->onProgress(event);
  }
}

} // namespace opflow::engine::detail
