// Clock: the engine's source of wall-clock time, for timestamps and timers.
// SystemClock is the real one; ManualClock lets tests move time by hand.
// Thread-safety: now() may be called from any thread.
#pragma once

#include "opflow/engine/RunRecord.h"

#include <atomic>

namespace opflow::engine {

class Clock {
public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
  [[nodiscard]] TimePoint now() const override { return std::chrono::system_clock::now(); }
};

class ManualClock final : public Clock {
public:
  explicit ManualClock(TimePoint start = TimePoint{} + std::chrono::hours(24 * 365 * 50))
      : m_now(start.time_since_epoch().count()) {}
  [[nodiscard]] TimePoint now() const override { return TimePoint(TimePoint::duration(m_now.load())); }
  void advance(std::chrono::milliseconds by) { m_now += std::chrono::duration_cast<TimePoint::duration>(by).count(); }

private:
  std::atomic<TimePoint::rep> m_now;
};

} // namespace opflow::engine
