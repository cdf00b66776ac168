#include "opflow/observe/ProcessMetrics.h"

#include <algorithm>

namespace opflow::observe {

namespace {

MetricFamily single(const char* name, const char* help, MetricType type, double value) {
  MetricFamily family{name, help, type, {}, {}};
  family.at({}).value = value;
  return family;
}

} // namespace

std::vector<MetricFamily> writerFamilies(const store::WriterStats& stats) {
  MetricFamily latency{"opflow_store_commit_duration_seconds",
                       "Each group commit of the store writer: its transaction, begin to commit",
                       MetricType::Histogram, durationBucketsS(), {}};
  latency.at({}).histogram = stats.commitSeconds;
  MetricFamily batch{"opflow_store_batch_units", "Units of work per group commit", MetricType::Histogram,
                     store::batchSizeBuckets(), {}};
  batch.at({}).histogram = stats.batchUnits;
  return {single("opflow_store_commits_total", "Group commits of the store writer", MetricType::Counter,
                 static_cast<double>(stats.commits)),
          single("opflow_store_units_total", "Units of work committed (journal steps, audit entries, ...)",
                 MetricType::Counter, static_cast<double>(stats.units)),
          single("opflow_store_failed_units_total", "Units of work that failed and were rolled back alone",
                 MetricType::Counter, static_cast<double>(stats.failedUnits)),
          std::move(latency),
          std::move(batch),
          single("opflow_store_queue_depth", "Units of work waiting for the store writer", MetricType::Gauge,
                 static_cast<double>(stats.queued))};
}

MetricFamily logDroppedFamily(std::uint64_t dropped) {
  return single("opflow_log_dropped_lines_total", "Log lines dropped because they came faster than they were written",
                MetricType::Counter, static_cast<double>(dropped));
}

std::vector<MetricFamily> outboxFamilies(std::int64_t pending, std::optional<std::int64_t> oldestPendingMs,
                                         bool joined, std::int64_t nowMs) {
  std::vector<MetricFamily> families{single("opflow_outbox_pending", "Changes not yet sent to the shop's shared database",
                                            MetricType::Gauge, static_cast<double>(pending))};
  if (joined) { // a workstation that never joined a shop keeps its changes, but lags nothing
    const double lagS =
        oldestPendingMs ? static_cast<double>(std::max<std::int64_t>(nowMs - *oldestPendingMs, 0)) / 1000.0 : 0.0;
    families.push_back(single("opflow_sync_lag_seconds", "Age of the oldest change not yet sent to the shop (0: none)",
                              MetricType::Gauge, lagS));
  }
  return families;
}

std::vector<MetricFamily> syncFamilies(const sync::SyncStatus& status, std::int64_t nowMs) {
  if (status.link == sync::SyncLink::NotJoined) {
    return {};
  }
  const bool online = status.link == sync::SyncLink::Online || status.link == sync::SyncLink::Syncing;
  std::vector<MetricFamily> families{single("opflow_sync_online", "1 while the shop's shared database answers, else 0",
                                            MetricType::Gauge, online ? 1.0 : 0.0)};
  for (MetricFamily& family : outboxFamilies(status.pending, status.oldestPendingMs, true, nowMs)) {
    families.push_back(std::move(family));
  }
  families.push_back(single("opflow_sync_conflicts_open",
                            "Changes of this workstation the shop did not take, not yet resolved", MetricType::Gauge,
                            static_cast<double>(status.conflictsOpen)));
  return families;
}

} // namespace opflow::observe
