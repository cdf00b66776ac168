#include "opflow/engine/Clock.h"

#include <condition_variable>
#include <mutex>

namespace opflow::engine {

bool SystemClock::sleepUntil(SteadyTimePoint until, const std::stop_token& stop) const {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  static_cast<void>(wake.wait_until(lock, stop, until, [] { return false; }));
  return !stop.stop_requested();
}

const Clock& systemClock() {
  static const SystemClock clock;
  return clock;
}

bool ManualClock::sleepUntil(SteadyTimePoint until, const std::stop_token& stop) const {
  if (stop.stop_requested()) {
    return false;
  }
  moveForward(std::chrono::duration_cast<TimePoint::duration>(until.time_since_epoch()).count());
  return true;
}

void ManualClock::moveTo(TimePoint to) { moveForward(to.time_since_epoch().count()); }

void ManualClock::moveForward(TimePoint::rep to) const {
  TimePoint::rep current = m_now.load();
  while (current < to && !m_now.compare_exchange_weak(current, to)) {
  }
}

} // namespace opflow::engine
