// DashboardCsv: each dashboard chart's data as CSV (RFC 4180: a header row, commas, CRLF
// line ends, a field quoted when it holds a comma, quote or line break), for a manager's
// spreadsheet. Times are UTC in ISO 8601; durations in seconds; shares from 0 to 1.
// Thread-safety: pure functions.
#pragma once

#include "opflow/observe/DashboardFigures.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace opflow::observe {

// bucket_start_utc, then one column per order status (orders that entered it).
[[nodiscard]] std::string throughputCsv(const std::vector<ThroughputBucket>& buckets);
// status, orders, held
[[nodiscard]] std::string workInProgressCsv(const std::vector<StatusNow>& statuses);
// stage, orders, median_seconds, p90_seconds
[[nodiscard]] std::string leadTimesCsv(const std::vector<StageLeadTime>& stages);
// operation, runs, failed, cancelled, runs_per_hour, error_share, p95_seconds
[[nodiscard]] std::string operationRedCsv(const std::vector<OperationRed>& operations);

struct RateSample {
  std::int64_t atMs = 0;
  double perSecond = 0;
};
// time_utc, events_per_second
[[nodiscard]] std::string eventRateCsv(const std::vector<RateSample>& samples);

} // namespace opflow::observe
