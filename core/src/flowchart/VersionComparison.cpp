// compareVersions: nodes are matched by name. A node of both versions is Same when
// model::Node == holds, else Changed, and its detail line names each differing part by the
// JSON key an author edits ("condition", "go_to", "handler"...); short parts (names,
// targets, seconds) also show the old and the new value. A kind change names only the
// kind: the rest of two different kinds does not compare.
#include "opflow/flowchart/VersionComparison.h"

#include <fmt/format.h>

#include <optional>
#include <set>
#include <type_traits>
#include <variant>

namespace opflow::flowchart {

namespace {

using model::Node;

// The differing parts of two nodes of the same name: "part old → new" for a short value
// (a name, a target, seconds), "part" alone for the rest.
class Differences {
public:
  template <typename T>
  void value(const char* part, const T& older, const T& newer) {
    if (older != newer) {
      m_parts.push_back(fmt::format("{} {} → {}", part, shown(older), shown(newer)));
    }
  }
  template <typename T>
  void whole(const char* part, const T& older, const T& newer) {
    if (older != newer) {
      m_parts.emplace_back(part);
    }
  }
  [[nodiscard]] const std::vector<std::string>& parts() const { return m_parts; }

private:
  static std::string shown(const std::string& value) { return value.empty() ? "none" : value; }
  static std::string shown(const std::optional<double>& value) {
    return value ? fmt::format("{:g}s", *value) : "none";
  }

  std::vector<std::string> m_parts;
};

void compareSpecs(Differences& d, const model::DecisionNode& a, const model::DecisionNode& b) {
  d.whole("condition", a.condition, b.condition);
  d.value("if_true", a.ifTrue, b.ifTrue);
  d.value("if_false", a.ifFalse, b.ifFalse);
  d.whole("cases", a.cases, b.cases);
  d.value("otherwise", a.otherwise, b.otherwise);
}

void compareSpecs(Differences& d, const model::ActionNode& a, const model::ActionNode& b) {
  d.value("handler", a.handler, b.handler);
  d.whole("with", a.with, b.with);
  d.whole("set", a.set, b.set);
  d.value("go_to", a.goTo, b.goTo);
  d.whole("exits", a.exits, b.exits);
}

void compareSpecs(Differences& d, const model::CallNode& a, const model::CallNode& b) {
  d.value("operation", a.operation, b.operation);
  d.whole("inputs", a.inputs, b.inputs);
  d.value("save_as", a.saveAs, b.saveAs);
  d.value("on_success", a.onSuccess, b.onSuccess);
  d.value("on_failure", a.onFailure, b.onFailure);
}

void compareSpecs(Differences& d, const model::WaitNode& a, const model::WaitNode& b) {
  d.value("signal", a.signal, b.signal);
  d.value("save_as", a.saveAs, b.saveAs);
  d.value("go_to", a.goTo, b.goTo);
  d.value("timer_s", a.timerS, b.timerS);
  d.value("timeout_s", a.timeoutS, b.timeoutS);
  d.value("on_timeout", a.onTimeout, b.onTimeout);
  d.value("deadline_as", a.deadlineAs, b.deadlineAs);
}

void compareSpecs(Differences& d, const model::ResultNode& a, const model::ResultNode& b) {
  d.whole("outputs", a, b);
}

void compareSpecs(Differences& d, const model::FailNode& a, const model::FailNode& b) { d.whole("reason", a.reason, b.reason); }

std::vector<std::string> differences(const Node& older, const Node& newer) {
  Differences d;
  if (older.kind() != newer.kind()) {
    d.value("kind", std::string(model::toString(older.kind())), std::string(model::toString(newer.kind())));
  }
  d.whole("title", older.title, newer.title);
  if (older.kind() == newer.kind()) {
    std::visit(
        [&](const auto& olderSpec) {
          using Spec = std::decay_t<decltype(olderSpec)>;
          compareSpecs(d, olderSpec, std::get<Spec>(newer.spec));
        },
        older.spec);
  }
  return d.parts();
}

std::string joined(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) {
    text += text.empty() ? part : ", " + part;
  }
  return text;
}

} // namespace

const char* toString(NodeChange change) {
  switch (change) {
  case NodeChange::Same: return "same";
  case NodeChange::Added: return "added";
  case NodeChange::Removed: return "removed";
  case NodeChange::Changed: return "changed";
  }
  return "unknown";
}

std::string VersionComparison::detailOf(const std::string& name) const {
  for (const NodeDifference& detail : details) {
    if (detail.node == name) {
      return detail.parts;
    }
  }
  return {};
}

VersionComparison compareVersions(const model::OperationDefinition& older, const model::OperationDefinition& newer) {
  VersionComparison comparison;
  comparison.merged = newer;
  std::map<std::string, const Node*> olderByName;
  for (const Node& node : older.nodes) {
    olderByName.emplace(node.name, &node);
  }
  std::set<std::string> newerNames;
  for (const Node& node : newer.nodes) {
    newerNames.insert(node.name);
    auto found = olderByName.find(node.name);
    if (found == olderByName.end()) {
      comparison.changes[node.name] = NodeChange::Added;
    } else if (*found->second == node) {
      comparison.changes[node.name] = NodeChange::Same;
    } else {
      comparison.changes[node.name] = NodeChange::Changed;
      comparison.details.push_back({node.name, joined(differences(*found->second, node))});
    }
  }
  for (const Node& node : older.nodes) {
    if (!newerNames.contains(node.name)) {
      comparison.merged.nodes.push_back(node);
      comparison.changes[node.name] = NodeChange::Removed;
    }
  }
  return comparison;
}

} // namespace opflow::flowchart
