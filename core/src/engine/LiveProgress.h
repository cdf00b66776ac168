// LiveProgress: a run's latest handler progress, written by the task that drives the run
// and read by anyone who asks the engine about the run (the console, the CLI).
// Thread-safety: every member may be called from any thread.
#pragma once

#include "opflow/engine/RunRecord.h"

#include <mutex>
#include <optional>
#include <utility>

namespace opflow::engine::detail {

class LiveProgress {
public:
  void set(RunProgress progress) {
    std::lock_guard lock(m_mutex);
    m_progress = std::move(progress);
  }
  void clear() {
    std::lock_guard lock(m_mutex);
    m_progress.reset();
  }
  [[nodiscard]] std::optional<RunProgress> get() const {
    std::lock_guard lock(m_mutex);
    return m_progress;
  }

private:
  mutable std::mutex m_mutex;
  std::optional<RunProgress> m_progress;
};

} // namespace opflow::engine::detail
