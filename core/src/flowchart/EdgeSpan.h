// estimatedEdgeSpan(): how many ranks a graph's edges cross in total, estimated before dot
// runs, as a measure of what laying it out will cost. dot gives every rank an edge crosses
// a virtual node, and both crossing minimisation and spline routing grow with those (150
// nodes of random long edges cross tens of thousands and take dot 90 s to route), while
// the node and edge counts alone do not show it. The estimate breaks cycles by depth-first
// search in node order and ranks by longest path; dot's network simplex only shortens edges
// from such a ranking, so for the same cycle breaking the estimate bounds dot's total from
// above (dot may break cycles in another order: it is an estimate, not a guarantee). Edge
// labels double the ranks, as dot does when any edge has one.
// Thread-safety: a free function over values.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace opflow::flowchart {

// `edges` are (from, to) indices below `nodeCount`.
[[nodiscard]] std::size_t estimatedEdgeSpan(std::size_t nodeCount,
                                            const std::vector<std::pair<std::size_t, std::size_t>>& edges,
                                            bool labelled);

} // namespace opflow::flowchart
