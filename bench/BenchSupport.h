// What the timing programs share: the steady clock and the time since a point, and
// must(), which turns a failed setup step into an exception naming the step.
// Thread-safety: free functions.
#pragma once

#include "opflow/Result.h"

#include <fmt/format.h>

#include <chrono>
#include <stdexcept>
#include <utility>

namespace opflow::bench {

using Clock = std::chrono::steady_clock;

inline double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

inline double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

template <typename T>
T must(Result<T> result, const char* doing) {
  if (!result) {
    throw std::runtime_error(fmt::format("{}: {}", doing, result.error().describe()));
  }
  return std::move(result).value();
}

inline void must(const Status& status, const char* doing) {
  if (!status) {
    throw std::runtime_error(fmt::format("{}: {}", doing, status.error().describe()));
  }
}

} // namespace opflow::bench
