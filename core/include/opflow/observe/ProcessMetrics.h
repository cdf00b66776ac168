// The metrics of a running process beyond its engine's runs (RunMetrics): the store
// writer's commits (latency, batch size, queue depth, failed units), the log's dropped
// lines, and the shop link (changes waiting to go up, how old the oldest is, conflicts
// open). Each renders what its owner already keeps; nothing here reads the database.
// Thread-safety: free functions over values.
#pragma once

#include "opflow/observe/MetricFamily.h"
#include "opflow/store/StoreWriter.h"
#include "opflow/sync/SyncLoop.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace opflow::observe {

// opflow_store_commits_total, opflow_store_units_total, opflow_store_failed_units_total,
// opflow_store_commit_duration_seconds, opflow_store_batch_units, opflow_store_queue_depth.
[[nodiscard]] std::vector<MetricFamily> writerFamilies(const store::WriterStats& stats);
// opflow_log_dropped_lines_total.
[[nodiscard]] MetricFamily logDroppedFamily(std::uint64_t dropped);
// opflow_outbox_pending, and for a workstation joined to a shop opflow_sync_lag_seconds
// (the age of the oldest change waiting at `nowMs`; 0: none). The live metrics and the
// journal's both measure the outbox so.
[[nodiscard]] std::vector<MetricFamily> outboxFamilies(std::int64_t pending, std::optional<std::int64_t> oldestPendingMs,
                                                       bool joined, std::int64_t nowMs);
// opflow_sync_online (1 online or syncing, else 0), opflow_outbox_pending,
// opflow_sync_lag_seconds (age of the oldest change waiting at `nowMs`; 0: none),
// opflow_sync_conflicts_open. Nothing for a database that never joined a shop.
[[nodiscard]] std::vector<MetricFamily> syncFamilies(const sync::SyncStatus& status, std::int64_t nowMs);

} // namespace opflow::observe
