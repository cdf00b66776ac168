#include "opflow/observe/DashboardCsv.h"

#include "opflow/store/UtcTime.h"

#include <fmt/format.h>

#include <string_view>

namespace opflow::observe {

namespace {

constexpr std::string_view kLineEnd = "\r\n";

std::string field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string quoted = "\"";
  for (char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  quoted += '"';
  return quoted;
}

std::string number(double value) { return fmt::format("{:.6g}", value); }

} // namespace

std::string throughputCsv(const std::vector<ThroughputBucket>& buckets) {
  std::string csv = "bucket_start_utc";
  for (domain::OrderStatus status : domain::allOrderStatuses()) {
    csv += fmt::format(",{}", domain::toString(status));
  }
  csv += kLineEnd;
  for (const ThroughputBucket& bucket : buckets) {
    csv += store::formatUtcMs(bucket.startMs);
    for (std::int64_t entered : bucket.entered) {
      csv += fmt::format(",{}", entered);
    }
    csv += kLineEnd;
  }
  return csv;
}

std::string workInProgressCsv(const std::vector<StatusNow>& statuses) {
  std::string csv = fmt::format("status,orders,held{}", kLineEnd);
  for (const StatusNow& now : statuses) {
    csv += fmt::format("{},{},{}{}", domain::toString(now.status), now.orders, now.held, kLineEnd);
  }
  return csv;
}

std::string leadTimesCsv(const std::vector<StageLeadTime>& stages) {
  std::string csv = fmt::format("stage,orders,median_seconds,p90_seconds{}", kLineEnd);
  for (const StageLeadTime& stage : stages) {
    csv += fmt::format("{},{},{},{}{}", domain::toString(stage.stage), stage.orders, number(stage.medianSeconds),
                       number(stage.p90Seconds), kLineEnd);
  }
  return csv;
}

std::string operationRedCsv(const std::vector<OperationRed>& operations) {
  std::string csv = fmt::format("operation,runs,failed,cancelled,runs_per_hour,error_share,p95_seconds{}", kLineEnd);
  for (const OperationRed& red : operations) {
    csv += fmt::format("{},{},{},{},{},{},{}{}", field(red.operation), red.runs, red.failed, red.cancelled,
                       number(red.runsPerHour), number(red.errorShare), number(red.p95Seconds), kLineEnd);
  }
  return csv;
}

std::string eventRateCsv(const std::vector<RateSample>& samples) {
  std::string csv = fmt::format("time_utc,events_per_second{}", kLineEnd);
  for (const RateSample& sample : samples) {
    csv += fmt::format("{},{}{}", store::formatUtcMs(sample.atMs), number(sample.perSecond), kLineEnd);
  }
  return csv;
}

} // namespace opflow::observe
