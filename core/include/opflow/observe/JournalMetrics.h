// journalMetrics: RED metrics (rate, errors, duration) as the journal tells them for a time
// window, per operation and per node, with the gauges of now: runs running, waiting and
// interrupted, and the outbox's unsent changes and the age of the oldest (the sync lag).
// What `opflow-cli metrics` prints. The window's runs are found by runs_by_created and
// their steps by the steps primary key, so the cost follows the window, not the history;
// the gauges read partial indexes of unfinished runs and unsent changes.
// Thread-safety: a free function; the store may be shared between threads.
#pragma once

#include "opflow/Result.h"
#include "opflow/observe/MetricFamily.h"
#include "opflow/store/LocalStore.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace opflow::observe {

struct MetricsWindow {
  std::int64_t sinceMs = 0;             // runs started at or after (UTC ms)
  std::optional<std::int64_t> untilMs;  // and before; none: up to now
  std::int64_t nowMs = 0;               // "now" for the sync lag
};

// Families (empty series where nothing happened; the sync lag only at a joined workstation):
//   opflow_runs_total{operation,state}            counter   runs started in the window, by state now
//   opflow_run_duration_seconds{operation,state}  histogram ended runs: start to end
//   opflow_steps_total{operation,node}            counter
//   opflow_step_errors_total{operation,node}      counter   as store::isErrorStep
//   opflow_step_duration_seconds{operation,node}  histogram
//   opflow_runs_active{state}                     gauge     running, waiting, interrupted now
//   opflow_outbox_pending                         gauge     changes not yet sent to the shop
//   opflow_sync_lag_seconds                       gauge     age of the oldest of them (0: none); not
//                                                           at a workstation that never joined a shop
//                                                           (both as observe::outboxFamilies)
// InvalidArgument for an until before since; the store's error when a read fails.
[[nodiscard]] Result<std::vector<MetricFamily>> journalMetrics(store::LocalStore& store, const MetricsWindow& window);

} // namespace opflow::observe
