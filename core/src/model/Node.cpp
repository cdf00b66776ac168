#include "opflow/model/Node.h"

#include "opflow/logic/Expression.h"

#include <array>
#include <cmath>

namespace opflow::model {

namespace {
constexpr std::array<const char*, 6> kKindNames = {"decision", "action", "call", "wait", "result", "fail"};

std::string seconds(double value) {
  bool whole = std::isfinite(value) && std::fabs(value) < 1e15 && value == std::trunc(value);
  return (whole ? Json(static_cast<std::int64_t>(value)) : Json(value)).dump() + "s";
}
} // namespace

const char* toString(NodeKind kind) { return kKindNames.at(static_cast<std::size_t>(kind)); }

std::optional<NodeKind> nodeKindFromString(const std::string& text) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (text == kKindNames[i]) {
      return static_cast<NodeKind>(i);
    }
  }
  return std::nullopt;
}

std::vector<Edge> edgesOf(const Node& node) {
  std::vector<Edge> edges;
  auto add = [&edges](const std::string& target, std::string label, std::string exitName) {
    if (!target.empty()) {
      edges.push_back(Edge{target, std::move(label), std::move(exitName)});
    }
  };
  if (const auto* decision = std::get_if<DecisionNode>(&node.spec)) {
    add(decision->ifTrue, "true", "true");
    add(decision->ifFalse, "false", "false");
    for (std::size_t i = 0; i < decision->cases.size(); ++i) {
      add(decision->cases[i].goTo, logic::describe(decision->cases[i].when), "case " + std::to_string(i + 1));
    }
    add(decision->otherwise, "otherwise", "otherwise");
  } else if (const auto* action = std::get_if<ActionNode>(&node.spec)) {
    add(action->goTo, "", "");
    for (const ActionExit& exit : action->exits) {
      add(exit.goTo, exit.name, exit.name);
    }
  } else if (const auto* call = std::get_if<CallNode>(&node.spec)) {
    add(call->onSuccess, "success", "success");
    add(call->onFailure, "failure", "failure");
  } else if (const auto* wait = std::get_if<WaitNode>(&node.spec)) {
    const std::string inAll = wait->deadlineAs.empty() ? "" : " in all";
    std::string label = wait->signal.empty() ? "after " + seconds(wait->timerS.value_or(0)) + inAll : wait->signal;
    add(wait->goTo, label, wait->signal.empty() ? "timer" : "signal");
    if (wait->timeoutS) {
      add(wait->onTimeout, "timeout " + seconds(*wait->timeoutS) + inAll, "timeout");
    }
  }
  return edges;
}

} // namespace opflow::model
