#include "opflow/observe/TaskProgress.h"

#include <fmt/format.h>

#include <algorithm>

namespace opflow::observe {

namespace {

constexpr auto kPaceAfter = std::chrono::seconds(1);

// 12345 -> "12,345".
std::string grouped(std::size_t value) {
  std::string digits = std::to_string(value);
  for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

} // namespace

TaskProgress::TaskProgress(std::string unit, Clock::time_point start) : m_unit(std::move(unit)), m_start(start) {}

int TaskProgress::percent(std::size_t done, std::size_t total) {
  if (total == 0) {
    return 100;
  }
  return static_cast<int>(std::min(done, total) * 100 / total);
}

std::string TaskProgress::text(std::size_t done, std::size_t total, Clock::time_point now) const {
  std::string line = fmt::format("{} % ({} of {} {})", percent(done, total), grouped(done), grouped(total), m_unit);
  const auto elapsed = now - m_start;
  if (done == 0 || done >= total || elapsed < kPaceAfter || done * 100 < total) {
    return line;
  }
  const double perUnit = std::chrono::duration<double>(elapsed).count() / static_cast<double>(done);
  const auto left = std::chrono::seconds(static_cast<long long>(perUnit * static_cast<double>(total - done) + 0.5));
  return line + ", about " + remainingText(left) + " left";
}

std::string remainingText(std::chrono::seconds left) {
  const long long seconds = left.count();
  if (seconds < 60) {
    return fmt::format("{} s", seconds);
  }
  if (seconds < 3600) {
    return fmt::format("{} min {} s", seconds / 60, seconds % 60);
  }
  return fmt::format("{} h {} min", seconds / 3600, seconds % 3600 / 60);
}

} // namespace opflow::observe
