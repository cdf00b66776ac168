// FlowchartLayout: lays out an operation's flowchart with Graphviz's dot (libgvc and
// libcgraph) and returns plain geometry. Shapes by kind (decision diamond, action box,
// call double box, wait hexagon, result oval, fail octagon) and edge labels as
// model::edgesOf gives them. Never splines=ortho (it aborts on some graphs).
//
// The work is bounded: a definition with more nodes or edges than the limits, or whose
// edges span too many ranks, is refused (ErrorCode::InvalidArgument naming the count and
// the limit), a tangled one gets straight edges, labels are cut to a fixed
// number of lines of a fixed width, and dot's iteration limits are set, so a hostile
// definition costs bounded time and memory and never crashes the process. Layouts are
// deterministic and cached by the definition's content hash (least recently used first
// out). Graphviz keeps global state, so layouts run one at a time process-wide.
// Thread-safety: every member may be called from any thread.
#pragma once

#include "opflow/Result.h"
#include "opflow/flowchart/Geometry.h"
#include "opflow/model/OperationDefinition.h"

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace opflow::flowchart {

using GeometryPtr = std::shared_ptr<const FlowchartGeometry>;

struct LayoutLimits {
  std::size_t maxNodes = 1000;
  std::size_t maxEdges = 4000;
  // The ranks edges cross in total, estimated before layout: what dot's work grows with
  // (the shipped operations span under 100, a generated 1000-node one about 2,300; 150
  // nodes of random long edges about 36,000, which take dot 90 s with splines). Past
  // maxSplineSpan edges are drawn straight (no spline routing, fewer dot iterations: a few
  // seconds at most); past maxEdgeSpan the definition is refused, naming the estimate.
  std::size_t maxSplineSpan = 5'000;
  std::size_t maxEdgeSpan = 40'000;
  std::size_t maxLineChars = 40; // longer label lines are wrapped at spaces, else cut with "…"
  std::size_t maxLines = 4;      // further lines are dropped, the last kept one ends in "…"
};

class FlowchartLayout {
public:
  explicit FlowchartLayout(LayoutLimits limits = {}, std::size_t cacheCapacity = 64);

  // The geometry of `definition`, from the cache when one with the same content was laid
  // out before.
  [[nodiscard]] Result<GeometryPtr> layout(const model::OperationDefinition& definition);

  [[nodiscard]] const LayoutLimits& limits() const { return m_limits; }

private:
  LayoutLimits m_limits;
  std::size_t m_capacity;
  std::mutex m_mutex;
  std::list<std::string> m_recent; // content hashes, most recently used first
  std::unordered_map<std::string, std::pair<GeometryPtr, std::list<std::string>::iterator>> m_cache;
};

// Lays out without a cache (what FlowchartLayout calls on a miss).
[[nodiscard]] Result<FlowchartGeometry> layoutFlowchart(const model::OperationDefinition& definition,
                                                        const LayoutLimits& limits = {});

} // namespace opflow::flowchart
