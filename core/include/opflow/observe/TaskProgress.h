// TaskProgress: how far a long task (the demo shop's replay, a seed) has come, as a person
// reads it: "42 % (12,345 of 29,000 steps), about 1 min 20 s left". The estimate is the
// pace so far carried to the end; none before a hundredth of the work or a second has
// passed, when the pace says little.
// Thread-safety: a value type; one thread updates it.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace opflow::observe {

class TaskProgress {
public:
  using Clock = std::chrono::steady_clock;

  // `unit` names what is counted ("steps"); the task starts at `start`.
  explicit TaskProgress(std::string unit, Clock::time_point start = Clock::now());

  // The line for `done` of `total` at `now`.
  [[nodiscard]] std::string text(std::size_t done, std::size_t total, Clock::time_point now = Clock::now()) const;
  // Whole percent of `total` that `done` is (0..100; 100 for an empty task).
  [[nodiscard]] static int percent(std::size_t done, std::size_t total);

private:
  std::string m_unit;
  Clock::time_point m_start;
};

// "45 s", "1 min 20 s", "2 h 5 min".
[[nodiscard]] std::string remainingText(std::chrono::seconds left);

} // namespace opflow::observe
