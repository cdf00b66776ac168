// toMermaid(): the flowchart as a Mermaid `flowchart TD`. Node names can hold any
// character, so each node gets a safe id (n0, n1, ... in declaration order; targets that
// no node declares get the next ids and a plain box) and its text goes in a quoted label.
// Inside labels, characters Mermaid or its HTML rendering would misread are written with
// Mermaid's entity syntax (`"` -> #quot;, `#` -> #35;, `<` -> #lt;, ...) and newlines
// become <br/>. Shapes by kind: decision {"..."}, action ["..."], call [["..."]],
// wait {{"..."}}, result (["..."]), fail [/"..."/]; result and fail are coloured by
// classDef. A small "start" circle points at starts_with. Output is deterministic.
#include "opflow/export/GraphExport.h"

#include "export/ExportLabels.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <iterator>
#include <map>
#include <vector>

namespace opflow::exporting {

namespace {

struct Shape {
  const char* open;
  const char* close;
};

// Indexed by model::NodeKind.
constexpr std::array<Shape, 6> kShapes = {{
    {"{", "}"},
    {"[", "]"},
    {"[[", "]]"},
    {"{{", "}}"},
    {"([", "])"},
    {"[/", "/]"},
}};

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
    case '"':
      out += "#quot;";
      break;
    case '#':
      out += "#35;";
      break;
    case '&':
      out += "#amp;";
      break;
    case '<':
      out += "#lt;";
      break;
    case '>':
      out += "#gt;";
      break;
    case '|':
      out += "#124;";
      break;
    case '`':
      out += "#96;";
      break;
    case '\n':
      out += "<br/>";
      break;
    case '\r':
      break;
    default:
      out += c;
    }
  }
  out += '"';
  return out;
}

// Safe ids by node name: declared nodes first, then undeclared targets in edge order.
class NodeIds {
public:
  explicit NodeIds(const model::OperationDefinition& definition) {
    for (const model::Node& node : definition.nodes) {
      add(node.name);
    }
    m_declared = m_names.size();
    add(definition.startsWith);
    for (const model::Node& node : definition.nodes) {
      for (const model::Edge& edge : model::edgesOf(node)) {
        add(edge.target);
      }
    }
  }

  [[nodiscard]] const std::string& of(const std::string& name) const { return m_ids.at(name); }

  // Names used as targets that no node declares.
  [[nodiscard]] std::vector<std::string> undeclared() const {
    return {m_names.begin() + static_cast<std::ptrdiff_t>(m_declared), m_names.end()};
  }

private:
  void add(const std::string& name) {
    if (!name.empty() && m_ids.emplace(name, fmt::format("n{}", m_names.size())).second) {
      m_names.push_back(name);
    }
  }

  std::map<std::string, std::string> m_ids;
  std::vector<std::string> m_names;
  std::size_t m_declared = 0;
};

void appendClass(std::string& out, const char* className, const std::vector<std::string>& ids) {
  if (!ids.empty()) {
    fmt::format_to(std::back_inserter(out), "  class {} {}\n", fmt::join(ids, ","), className);
  }
}

} // namespace

std::string toMermaid(const model::OperationDefinition& definition) {
  const NodeIds ids(definition);
  std::string out = "flowchart TD\n";
  auto sink = std::back_inserter(out);

  if (!definition.startsWith.empty()) {
    out += "  start((\"start\"))\n";
  }
  std::vector<std::string> results;
  std::vector<std::string> fails;
  for (const model::Node& node : definition.nodes) {
    const std::string& id = ids.of(node.name);
    const Shape& shape = kShapes.at(static_cast<std::size_t>(node.kind()));
    fmt::format_to(sink, "  {}{}{}{}\n", id, shape.open, quoted(nodeLabel(node)), shape.close);
    if (node.kind() == model::NodeKind::Result) {
      results.push_back(id);
    } else if (node.kind() == model::NodeKind::Fail) {
      fails.push_back(id);
    }
  }
  for (const std::string& name : ids.undeclared()) {
    fmt::format_to(sink, "  {}[{}]\n", ids.of(name), quoted(name));
  }

  if (!definition.startsWith.empty()) {
    fmt::format_to(sink, "  start --> {}\n", ids.of(definition.startsWith));
  }
  for (const model::Node& node : definition.nodes) {
    for (const model::Edge& edge : model::edgesOf(node)) {
      if (edge.label.empty()) {
        fmt::format_to(sink, "  {} --> {}\n", ids.of(node.name), ids.of(edge.target));
      } else {
        fmt::format_to(sink, "  {} -->|{}| {}\n", ids.of(node.name), quoted(edge.label), ids.of(edge.target));
      }
    }
  }

  out += "  classDef result fill:#d4edda,stroke:#2e7d32\n";
  out += "  classDef fail fill:#f8d7da,stroke:#c62828\n";
  appendClass(out, "result", results);
  appendClass(out, "fail", fails);
  return out;
}

} // namespace opflow::exporting
