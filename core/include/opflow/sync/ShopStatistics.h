// ShopStatistics: an operation's node statistics over the whole shop: its latest runs that
// ended at any workstation and went up, measured as store::nodeStatistics measures one
// workstation's (the flowchart view's "whole shop" heat and node panel). Runs still going
// are not in it: a run's summary goes up when it ends.
// Thread-safety: a free function; the LocalStore may be shared between threads.
#pragma once

#include "opflow/Result.h"
#include "opflow/store/LocalStore.h"
#include "opflow/store/NodeStatistics.h"

#include <chrono>

namespace opflow::sync {

// NotFound when this workstation never joined a shop; Unavailable when the shop's
// database cannot be reached within `connectTimeout`.
[[nodiscard]] Result<store::OperationStatistics> shopNodeStatistics(store::LocalStore& local,
                                                                    const store::StatisticsQuery& query,
                                                                    std::chrono::seconds connectTimeout);

} // namespace opflow::sync
