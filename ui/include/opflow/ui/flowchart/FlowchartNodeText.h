// FlowchartNodeText: what the flowchart view's node panel says about one node: its kind,
// title, what it does (handler, condition or cases in readable form, called operation,
// awaited signal and timers, outputs, fail reason), its declared exits, and what history
// says (runs through it, median and 95th percentile time, error rate); and, before a node
// is clicked, what the operation is (description, roles, inputs, size, history looked at).
// Thread-safety: pure functions.
#pragma once

#include "opflow/model/Node.h"
#include "opflow/model/OperationDefinition.h"
#include "opflow/store/NodeStatistics.h"

#include <QString>

namespace opflow::ui {

// `statistics` is null when the node has no steps in the window of `runsExamined` runs.
[[nodiscard]] QString flowchartNodeText(const model::Node& node, const store::NodeStatistics* statistics,
                                        std::int64_t runsExamined);

[[nodiscard]] QString flowchartOperationText(const model::OperationDefinition& definition,
                                             const store::OperationStatistics& statistics);

} // namespace opflow::ui
