// toDot(): the flowchart as a Graphviz digraph. Every node is declared in declaration
// order with a shape for its kind, then come the edges model::edgesOf gives, in the same
// order, so the text is deterministic. Identifiers and labels are always quoted: quotes
// and backslashes are backslash-escaped and newlines become "\n" line breaks, so names
// like `say "hi"\now` stay one token. The start is a small point node with an edge into
// starts_with; its id is chosen so it never collides with a node name. No splines=ortho:
// Graphviz drops edge labels under it.
#include "opflow/export/GraphExport.h"

#include "export/ExportLabels.h"

#include <fmt/format.h>

#include <array>
#include <iterator>

namespace opflow::exporting {

namespace {

constexpr const char* kFont = "Helvetica";

// Indexed by model::NodeKind.
constexpr std::array<const char*, 6> kKindAttributes = {
    R"(shape=diamond, style=filled, fillcolor="#fff8e1")",
    R"(shape=box, style=rounded)",
    R"(shape=box, peripheries=2)",
    R"(shape=hexagon)",
    R"(shape=oval, style=filled, fillcolor="#d4edda", color="#2e7d32")",
    R"(shape=octagon, style=filled, fillcolor="#f8d7da", color="#c62828")",
};

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    default:
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string startId(const model::OperationDefinition& definition) {
  std::string id = "start";
  while (definition.findNode(id) != nullptr) {
    id = "_" + id;
  }
  return id;
}

} // namespace

std::string toDot(const model::OperationDefinition& definition) {
  std::string out;
  auto sink = std::back_inserter(out);
  fmt::format_to(sink, "digraph {} {{\n", quoted(definition.name));
  fmt::format_to(sink, "  graph [rankdir=TB, label={}, labelloc=t, fontname=\"{}\"];\n", quoted(graphLabel(definition)),
                 kFont);
  fmt::format_to(sink, "  node [fontname=\"{}\", fontsize=11];\n", kFont);
  fmt::format_to(sink, "  edge [fontname=\"{}\", fontsize=10];\n\n", kFont);

  const std::string start = startId(definition);
  if (!definition.startsWith.empty()) {
    fmt::format_to(sink, "  {} [shape=point, width=0.15];\n", quoted(start));
  }
  for (const model::Node& node : definition.nodes) {
    fmt::format_to(sink, "  {} [label={}, {}];\n", quoted(node.name), quoted(nodeLabel(node)),
                   kKindAttributes.at(static_cast<std::size_t>(node.kind())));
  }
  out += '\n';

  if (!definition.startsWith.empty()) {
    fmt::format_to(sink, "  {} -> {};\n", quoted(start), quoted(definition.startsWith));
  }
  for (const model::Node& node : definition.nodes) {
    for (const model::Edge& edge : model::edgesOf(node)) {
      if (edge.label.empty()) {
        fmt::format_to(sink, "  {} -> {};\n", quoted(node.name), quoted(edge.target));
      } else {
        fmt::format_to(sink, "  {} -> {} [label={}];\n", quoted(node.name), quoted(edge.target), quoted(edge.label));
      }
    }
  }
  out += "}\n";
  return out;
}

} // namespace opflow::exporting
