// NodeStatistics: what history says about each node of an operation, for the flowchart
// view's node panel and heat overlay: how many runs passed through it, how long its steps
// took (median and 95th percentile), and how often a step there ended in an error or a
// failure exit. Read from the steps table over the operation's latest runs only (a
// window), so the cost is bounded however long the history. It reads committed rows: the
// steps a SqliteRunStore posted in the last few milliseconds may not be in yet (flush the
// run store first when that matters, as tests do).
// Thread-safety: free functions; the store may be shared between threads.
#pragma once

#include "opflow/Result.h"
#include "opflow/store/LocalStore.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace opflow::store {

struct NodeStatistics {
  std::int64_t runs = 0;  // distinct runs with at least one step in the node
  std::int64_t steps = 0; // steps in the node (retries and loops count each time)
  std::int64_t medianUs = 0; // as the engine's ETA takes it: the mean of the middle two for an even count
  std::int64_t p95Us = 0;    // nearest rank: the ceil(0.95 * steps)-th shortest step
  std::int64_t totalUs = 0; // all steps' time: what the "time" heat overlay shades by
  std::int64_t errors = 0;  // steps with an error, or leaving by a "failed"/"failure"/"timeout" exit
  [[nodiscard]] double errorRate() const { return steps == 0 ? 0.0 : static_cast<double>(errors) / static_cast<double>(steps); }
};

struct OperationStatistics {
  std::int64_t runsExamined = 0; // runs in the window
  std::map<std::string, NodeStatistics> nodes; // by node name; nodes no step reached are absent
};

struct StatisticsQuery {
  std::string operation;
  std::optional<std::int64_t> version; // none: every version
  std::int64_t runWindow = 2000;       // the operation's latest runs looked at
};

// A step that ended in an error, or left by a "failed", "failure" or "timeout" exit: what
// the statistics, the heat overlay and the metrics count as an error.
[[nodiscard]] bool isErrorStep(std::string_view error, std::string_view exit);

// Takes runs and their steps one at a time and measures them as nodeStatistics does, so the
// shop's statistics (read from the shared database) are the same measure.
class NodeStatisticsTally {
public:
  // A run of the window (counted even when it has no steps).
  void addRun(const std::string& runId);
  // A step of a run of the window in `node`; `error` is the step's error ("" when none)
  // and `exit` the exit it left by.
  void addStep(const std::string& runId, const std::string& node, std::int64_t durationUs, std::string_view error,
               std::string_view exit);
  [[nodiscard]] OperationStatistics finish();

private:
  struct NodeTally {
    NodeStatistics stats;
    std::vector<std::int64_t> durationsUs;
    std::unordered_set<std::size_t> runs; // positions in the window
  };
  std::size_t positionOf(const std::string& runId);

  std::map<std::string, NodeTally> m_nodes;
  std::unordered_map<std::string, std::size_t> m_window; // run id: position
};

// InvalidArgument when the window is below one run.
[[nodiscard]] Status checkStatisticsWindow(const StatisticsQuery& query);

// An operation without runs (or unknown) gives empty statistics, not an error. A window
// below one run is InvalidArgument; a failed read is the store's error.
[[nodiscard]] Result<OperationStatistics> nodeStatistics(LocalStore& store, const StatisticsQuery& query);

} // namespace opflow::store
