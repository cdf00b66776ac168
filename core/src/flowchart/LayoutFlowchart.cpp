// layoutFlowchart(): builds a Graphviz graph through cgraph's API (no DOT text, so names
// need no escaping: Graphviz sees only generated ids "n0", "n1", ... and the bounded label
// text), runs dot on it and reads the geometry back: node boxes from ND_coord and the
// node's size, edge splines from ED_spl with the arrowhead's tip, edge label boxes from
// ED_label, the title from GD_label, all flipped so y grows downwards from the top left of
// GD_bb. An edge whose target no node declares gets a plain box named after the target,
// after the declared nodes, so an unvalidated definition still draws. dot's cost is
// bounded: its iteration limits are set, and the ranks the edges will cross are estimated
// first (EdgeSpan.h), giving straight edges to a tangled graph and refusing a worse one.
#include "opflow/flowchart/FlowchartLayout.h"

#include "opflow/engine/CompiledOperation.h"

#include "export/ExportLabels.h"
#include "flowchart/EdgeSpan.h"
#include "flowchart/GraphvizSession.h"
#include "flowchart/LabelLines.h"

#include <fmt/format.h>

#include <array>
#include <map>
#include <memory>

namespace opflow::flowchart {

namespace {

constexpr const char* kStartId = "start";

// Graphviz's API takes char* for strings it only reads (and copies).
char* text(const char* value) { return const_cast<char*>(value); }

void set(void* object, const char* name, const std::string& value) {
  agsafeset(object, text(name), text(value.c_str()), text(""));
}

// The lines as a Graphviz label: backslashes doubled (Graphviz reads \N, \G, \n ... as
// escapes) and lines joined by Graphviz's centred line break.
std::string graphvizLabel(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      out += "\\n";
    }
    for (char c : lines[i]) {
      if (c == '\\') {
        out += '\\';
      }
      out += c;
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      out += '\n';
    }
    out += lines[i];
  }
  return out;
}

// Indexed by BoxKind: the Graphviz shape and periphery count that give the kind's size.
struct ShapeAttributes {
  const char* shape;
  const char* peripheries;
};
constexpr std::array<ShapeAttributes, 7> kShapes = {{
    {"point", "1"},
    {"diamond", "1"},
    {"box", "1"},
    {"box", "2"},
    {"hexagon", "1"},
    {"ellipse", "1"},
    {"octagon", "1"},
}};

struct GraphCloser {
  void operator()(Agraph_t* graph) const { agclose(graph); }
};

// The graph with its layout; frees the layout before closing the graph.
class LaidOutGraph {
public:
  LaidOutGraph(GVC_t* context, Agraph_t* graph) : m_context(context), m_graph(graph) {}
  ~LaidOutGraph() {
    if (m_laidOut) {
      gvFreeLayout(m_context, m_graph.get());
    }
  }
  LaidOutGraph(const LaidOutGraph&) = delete;
  LaidOutGraph& operator=(const LaidOutGraph&) = delete;

  [[nodiscard]] Agraph_t* get() const { return m_graph.get(); }
  [[nodiscard]] bool layout() {
    m_laidOut = gvLayout(m_context, m_graph.get(), "dot") == 0;
    return m_laidOut;
  }

private:
  GVC_t* m_context;
  std::unique_ptr<Agraph_t, GraphCloser> m_graph;
  bool m_laidOut = false;
};

// `tangled`: the edges span so many ranks that routing splines and full iteration would
// take too long (see LayoutLimits::maxSplineSpan).
void setDefaults(Agraph_t* graph, std::size_t nodeCount, bool tangled) {
  const std::array<std::pair<const char*, std::string>, 12> graphAttributes = {{
      {"rankdir", "TB"},
      {"labelloc", "t"},
      {"fontname", kFontFamily},
      {"fontsize", fmt::format("{}", kTitleFontSize)},
      {"nodesep", "0.3"},
      {"ranksep", "0.4"},
      // dot's network simplex and crossing-minimisation passes are bounded: at most
      // nslimit * nodes iterations each, fewer crossing passes on large graphs.
      {"nslimit", tangled ? "0.2" : "2"},
      {"nslimit1", tangled ? "0.2" : "2"},
      {"searchsize", "30"},
      {"mclimit", tangled ? "0.05" : nodeCount > 200 ? "0.3" : "1"},
      {"remincross", "false"},
      {"splines", tangled ? "line" : "spline"},
  }};
  for (const auto& [name, value] : graphAttributes) {
    agattr(graph, AGRAPH, text(name), text(value.c_str()));
  }
  agattr(graph, AGNODE, text("fontname"), text(kFontFamily));
  agattr(graph, AGNODE, text("fontsize"), text(fmt::format("{}", kNodeFontSize).c_str()));
  agattr(graph, AGNODE, text("shape"), text("box"));
  agattr(graph, AGNODE, text("peripheries"), text("1"));
  agattr(graph, AGNODE, text("margin"), text("0.12,0.06"));
  agattr(graph, AGNODE, text("label"), text(""));
  agattr(graph, AGEDGE, text("fontname"), text(kFontFamily));
  agattr(graph, AGEDGE, text("fontsize"), text(fmt::format("{}", kEdgeFontSize).c_str()));
  agattr(graph, AGEDGE, text("label"), text(""));
}

// Converts Graphviz's coordinates (points, origin bottom left of GD_bb, y up) to the
// geometry's (origin top left, y down).
class Flip {
public:
  explicit Flip(boxf bb) : m_bb(bb) {}
  [[nodiscard]] Point point(pointf p) const { return {p.x - m_bb.LL.x, m_bb.UR.y - p.y}; }
  [[nodiscard]] Rect centred(pointf centre, double width, double height) const {
    const Point c = point(centre);
    return {c.x - width / 2, c.y - height / 2, width, height};
  }
  [[nodiscard]] Rect bounds() const { return {0, 0, m_bb.UR.x - m_bb.LL.x, m_bb.UR.y - m_bb.LL.y}; }

private:
  boxf m_bb;
};

std::vector<Point> splinePoints(Agedge_t* edge, const Flip& flip, std::optional<Point>& arrowTip) {
  std::vector<Point> points;
  const splines* spl = ED_spl(edge);
  if (spl == nullptr) {
    return points;
  }
  for (int b = 0; b < spl->size; ++b) {
    const bezier& bz = spl->list[b];
    for (int i = (points.empty() ? 0 : 1); i < bz.size; ++i) {
      points.push_back(flip.point(bz.list[i]));
    }
    if (bz.eflag != 0) {
      arrowTip = flip.point(bz.ep);
    }
  }
  return points;
}

// A straight cubic from the centre of one box to the centre of the other, for an edge dot
// gave no spline (it does not for some degenerate edges).
std::vector<Point> straightLine(const Rect& from, const Rect& to) {
  const Point a{from.x + from.width / 2, from.y + from.height / 2};
  const Point b{to.x + to.width / 2, to.y + to.height / 2};
  return {a, {a.x + (b.x - a.x) / 3, a.y + (b.y - a.y) / 3}, {a.x + 2 * (b.x - a.x) / 3, a.y + 2 * (b.y - a.y) / 3}, b};
}

} // namespace

Result<FlowchartGeometry> layoutFlowchart(const model::OperationDefinition& definition, const LayoutLimits& limits) {
  std::size_t edgeCount = definition.startsWith.empty() ? 0 : 1;
  for (const model::Node& node : definition.nodes) {
    edgeCount += model::edgesOf(node).size();
  }
  if (definition.nodes.size() > limits.maxNodes) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("operation \"{}\" has {} nodes; a flowchart is laid out for at most {}",
                                 definition.name, definition.nodes.size(), limits.maxNodes));
  }
  if (edgeCount > limits.maxEdges) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("operation \"{}\" has {} edges; a flowchart is laid out for at most {}",
                                 definition.name, edgeCount, limits.maxEdges));
  }

  FlowchartGeometry geometry;
  geometry.operation = definition.name;
  geometry.version = definition.version;
  geometry.contentHash = engine::contentHashOf(definition);
  LayoutLimits titleLimits = limits;
  titleLimits.maxLineChars *= 2; // the title spans the drawing, not a box
  geometry.title = boundedLines(exporting::graphLabel(definition), titleLimits);

  // Boxes and edges in geometry order; undeclared targets become boxes after the declared nodes.
  std::map<std::string, std::size_t> indexByName;
  if (!definition.startsWith.empty()) {
    geometry.nodes.push_back(NodeBox{"", BoxKind::Start, {}, {}});
  }
  for (const model::Node& node : definition.nodes) {
    indexByName.emplace(node.name, geometry.nodes.size());
    geometry.nodes.push_back(
        NodeBox{node.name, boxKindOf(node.kind()), boundedLines(exporting::nodeLabel(node), limits), {}});
  }
  const auto indexOf = [&](const std::string& name) {
    auto [it, added] = indexByName.emplace(name, geometry.nodes.size());
    if (added) {
      geometry.nodes.push_back(NodeBox{name, BoxKind::Action, boundedLines(name, limits), {}});
    }
    return it->second;
  };
  std::vector<std::pair<std::size_t, std::size_t>> ends; // (from, to) per geometry edge
  std::vector<std::vector<std::string>> edgeLines;        // label lines per geometry edge
  if (!definition.startsWith.empty()) {
    geometry.edges.push_back(EdgeRoute{"", definition.startsWith, "", "", {}, {}, {}});
    ends.emplace_back(0, indexOf(definition.startsWith));
    edgeLines.emplace_back();
  }
  std::size_t declaredIndex = definition.startsWith.empty() ? 0 : 1;
  for (const model::Node& node : definition.nodes) {
    for (const model::Edge& edge : model::edgesOf(node)) {
      edgeLines.push_back(boundedLines(edge.label, limits));
      geometry.edges.push_back(EdgeRoute{node.name, edge.target, joined(edgeLines.back()), edge.exitName, {}, {}, {}});
      ends.emplace_back(declaredIndex, indexOf(edge.target));
    }
    ++declaredIndex;
  }

  // Targets no node declares are boxes too: an unvalidated definition could name thousands.
  const std::size_t boxes = geometry.nodes.size() - (definition.startsWith.empty() ? 0 : 1);
  if (boxes > limits.maxNodes) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("operation \"{}\" has {} nodes, {} of them only named as edge targets; a flowchart "
                                 "is laid out for at most {}",
                                 definition.name, boxes, boxes - definition.nodes.size(), limits.maxNodes));
  }

  bool labelled = false;
  for (const auto& lines : edgeLines) {
    labelled = labelled || !lines.empty();
  }
  const std::size_t span = estimatedEdgeSpan(geometry.nodes.size(), ends, labelled);
  if (span > limits.maxEdgeSpan) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("operation \"{}\" is too tangled to lay out: its edges cross about {} ranks in all; "
                                 "a flowchart is laid out for at most {}",
                                 definition.name, span, limits.maxEdgeSpan));
  }

  GraphvizSession session;
  LaidOutGraph graph(session.context(), agopen(text("flowchart"), Agdirected, nullptr));
  if (graph.get() == nullptr) {
    return makeError(ErrorCode::Internal, fmt::format("Graphviz could not make a graph: {}", session.messages()));
  }
  setDefaults(graph.get(), geometry.nodes.size(), span > limits.maxSplineSpan);
  set(graph.get(), "label", graphvizLabel(geometry.title));

  std::vector<Agnode_t*> gvNodes;
  gvNodes.reserve(geometry.nodes.size());
  for (std::size_t i = 0; i < geometry.nodes.size(); ++i) {
    const NodeBox& box = geometry.nodes[i];
    const std::string id = box.kind == BoxKind::Start ? std::string(kStartId) : fmt::format("n{}", i);
    Agnode_t* gvNode = agnode(graph.get(), text(id.c_str()), 1);
    const ShapeAttributes& shape = kShapes.at(static_cast<std::size_t>(box.kind));
    set(gvNode, "shape", shape.shape);
    set(gvNode, "peripheries", shape.peripheries);
    if (box.kind == BoxKind::Start) {
      set(gvNode, "width", "0.15");
    } else {
      set(gvNode, "label", graphvizLabel(box.lines));
    }
    gvNodes.push_back(gvNode);
  }
  std::vector<Agedge_t*> gvEdges;
  gvEdges.reserve(geometry.edges.size());
  for (std::size_t i = 0; i < geometry.edges.size(); ++i) {
    Agedge_t* gvEdge = agedge(graph.get(), gvNodes[ends[i].first], gvNodes[ends[i].second], nullptr, 1);
    if (!edgeLines[i].empty()) {
      set(gvEdge, "label", graphvizLabel(edgeLines[i]));
    }
    gvEdges.push_back(gvEdge);
  }

  if (!graph.layout()) {
    return makeError(ErrorCode::Internal,
                     fmt::format("Graphviz could not lay out operation \"{}\": {}", definition.name, session.messages()));
  }

  const Flip flip(GD_bb(graph.get()));
  geometry.bounds = flip.bounds();
  if (const textlabel_t* title = GD_label(graph.get()); title != nullptr) {
    geometry.titleBounds = flip.centred(title->pos, title->dimen.x, title->dimen.y);
  }
  for (std::size_t i = 0; i < geometry.nodes.size(); ++i) {
    Agnode_t* gvNode = gvNodes[i];
    geometry.nodes[i].bounds = flip.centred(ND_coord(gvNode), ND_lw(gvNode) + ND_rw(gvNode), ND_ht(gvNode));
  }
  for (std::size_t i = 0; i < geometry.edges.size(); ++i) {
    EdgeRoute& route = geometry.edges[i];
    route.points = splinePoints(gvEdges[i], flip, route.arrowTip);
    if (route.points.size() < 4) {
      route.points = straightLine(geometry.nodes[ends[i].first].bounds, geometry.nodes[ends[i].second].bounds);
      route.arrowTip.reset();
    }
    if (const textlabel_t* label = ED_label(gvEdges[i]); label != nullptr && label->set) {
      route.labelBounds = flip.centred(label->pos, label->dimen.x, label->dimen.y);
    }
  }
  return geometry;
}

} // namespace opflow::flowchart
