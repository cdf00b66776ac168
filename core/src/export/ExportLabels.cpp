#include "export/ExportLabels.h"

#include "opflow/logic/Expression.h"

#include <fmt/format.h>

#include <variant>

namespace opflow::exporting {

namespace {

std::string detailLine(const model::NodeSpec& spec) {
  if (const auto* decision = std::get_if<model::DecisionNode>(&spec)) {
    return decision->condition ? logic::describe(*decision->condition) : std::string();
  }
  if (const auto* action = std::get_if<model::ActionNode>(&spec)) {
    return action->handler;
  }
  if (const auto* call = std::get_if<model::CallNode>(&spec)) {
    return call->operation.empty() ? std::string() : fmt::format("→ {}", call->operation);
  }
  if (const auto* wait = std::get_if<model::WaitNode>(&spec)) {
    if (!wait->signal.empty()) {
      return wait->signal;
    }
    return wait->timerS ? fmt::format("timer {}s", *wait->timerS) : std::string();
  }
  return {};
}

} // namespace

std::string nodeLabel(const model::Node& node) {
  std::string label = node.title.empty() ? node.name : node.title;
  const std::string detail = detailLine(node.spec);
  if (!detail.empty()) {
    label += '\n';
    label += detail;
  }
  return label;
}

std::string graphLabel(const model::OperationDefinition& definition) {
  std::string versioned = fmt::format("{} v{}", definition.name, definition.version);
  return definition.title.empty() ? versioned : fmt::format("{}\n{}", definition.title, versioned);
}

} // namespace opflow::exporting
