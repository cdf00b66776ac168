// Clock: the engine's source of time: wall-clock time for timestamps and timers,
// monotonic time for durations (steps, ETAs), and the sleeps of handlers that take time
// (the pricing job). SystemClock is the real one. ManualClock is time moved by hand: tests
// move it, and the demo shop's simulation replays weeks of history on it, where a
// handler's sleep moves the clock instead of waiting, so the durations journaled are the
// simulated ones.
// Thread-safety: every member may be called from any thread.
#pragma once

#include "opflow/engine/RunRecord.h"

#include <atomic>
#include <chrono>
#include <stop_token>

namespace opflow::engine {

using SteadyTimePoint = std::chrono::steady_clock::time_point;

class Clock {
public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint now() const = 0;
  // Monotonic time, for measuring how long something took.
  [[nodiscard]] virtual SteadyTimePoint steadyNow() const = 0;
  // Sleeps until `until` (by steadyNow()); false when `stop` cut the sleep short.
  [[nodiscard]] virtual bool sleepUntil(SteadyTimePoint until, const std::stop_token& stop) const = 0;
};

class SystemClock final : public Clock {
public:
  [[nodiscard]] TimePoint now() const override { return std::chrono::system_clock::now(); }
  [[nodiscard]] SteadyTimePoint steadyNow() const override { return std::chrono::steady_clock::now(); }
  [[nodiscard]] bool sleepUntil(SteadyTimePoint until, const std::stop_token& stop) const override;
};

// The process's system clock, for whoever has no clock of its own.
[[nodiscard]] const Clock& systemClock();

class ManualClock final : public Clock {
public:
  explicit ManualClock(TimePoint start = TimePoint{} + std::chrono::hours(24 * 365 * 50))
      : m_now(start.time_since_epoch().count()) {}
  [[nodiscard]] TimePoint now() const override { return TimePoint(TimePoint::duration(m_now.load())); }
  [[nodiscard]] SteadyTimePoint steadyNow() const override {
    return SteadyTimePoint(std::chrono::duration_cast<SteadyTimePoint::duration>(now().time_since_epoch()));
  }
  // Does not wait: moves the clock on to `until` (never back), unless already stopped.
  [[nodiscard]] bool sleepUntil(SteadyTimePoint until, const std::stop_token& stop) const override;

  void advance(std::chrono::milliseconds by) { m_now += std::chrono::duration_cast<TimePoint::duration>(by).count(); }
  // Moves the clock to `to`; never back.
  void moveTo(TimePoint to);

private:
  void moveForward(TimePoint::rep to) const;

  mutable std::atomic<TimePoint::rep> m_now;
};

} // namespace opflow::engine
