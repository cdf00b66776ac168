#include "opflow/model/DefinitionValidator.h"

#include "opflow/domain/Role.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/model/InputValidation.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace opflow::model {

namespace {

constexpr const char* kReservedField = "ctx";

bool isReservedField(const std::string& field) { return field == kReservedField || field.starts_with("ctx."); }

std::string nodePointer(const std::string& name) { return "/nodes/" + pointerToken(name); }

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text.empty() ? std::string("none") : text;
}

class Checker {
public:
  Checker(const OperationDefinition& definition, const engine::HandlerRegistry& handlers,
          const DefinitionValidator::OperationExists& operationExists)
      : m_definition(definition), m_handlers(handlers), m_operationExists(operationExists) {}

  std::vector<Problem> run() {
    checkHeader();
    checkInputs();
    checkNodeNames();
    for (const Node& node : m_definition.nodes) {
      checkNode(node);
    }
    checkReachability();
    return std::move(m_problems);
  }

private:
  void problem(std::string pointer, std::string message) { m_problems.push_back({std::move(pointer), std::move(message)}); }

  void checkHeader() {
    if (m_definition.name.empty()) {
      problem("/operation", "is required: name the operation");
    }
    if (m_definition.version < 1) {
      problem("/version", fmt::format("must be 1 or more, not {}", m_definition.version));
    }
    const auto& roles = knownRoles();
    for (std::size_t i = 0; i < m_definition.roles.size(); ++i) {
      if (std::find(roles.begin(), roles.end(), m_definition.roles[i]) == roles.end()) {
        problem("/roles/" + std::to_string(i),
                fmt::format("unknown role \"{}\" (use {})", m_definition.roles[i], joined(roles)));
      }
    }
  }

  void checkInputs() {
    std::set<std::string> seen;
    for (const InputSpec& spec : m_definition.inputs) {
      std::string pointer = "/inputs/" + pointerToken(spec.name);
      if (!seen.insert(spec.name).second) {
        problem(pointer, "is declared twice");
      }
      if (spec.name.empty()) {
        problem(pointer, "an input needs a name");
      } else if (isReservedField(spec.name)) {
        problem(pointer, "is a reserved name: \"ctx\" holds the run's context");
      }
      bool numeric = spec.type == InputType::Integer || spec.type == InputType::Number;
      if (!numeric && (spec.min || spec.max)) {
        problem(pointer, fmt::format("min and max apply to integer and number inputs, not {}", toString(spec.type)));
      }
      if (spec.min && spec.max && *spec.min > *spec.max) {
        problem(pointer + "/min", "is greater than max");
      }
      InputSpec typeOnly{spec.name, spec.type, false, std::nullopt, {}, std::nullopt, std::nullopt, {}};
      for (std::size_t i = 0; i < spec.allowed.size(); ++i) {
        if (auto why = checkInputValue(typeOnly, spec.allowed[i])) {
          problem(pointer + "/enum/" + std::to_string(i), *why);
        }
      }
      if (spec.defaultValue) {
        if (auto why = checkInputValue(spec, *spec.defaultValue)) {
          problem(pointer + "/default", *why);
        }
      }
    }
  }

  void checkNodeNames() {
    std::set<std::string> seen;
    for (const Node& node : m_definition.nodes) {
      if (node.name.empty()) {
        problem("/nodes", "a node has an empty name");
      } else if (!seen.insert(node.name).second) {
        problem(nodePointer(node.name), "is declared twice");
      }
    }
    if (m_definition.nodes.empty()) {
      problem("/nodes", "the operation has no nodes");
    }
    if (m_definition.startsWith.empty()) {
      problem("/starts_with", "is required: name the first node");
    } else if (!m_definition.findNode(m_definition.startsWith)) {
      problem("/starts_with", fmt::format("no node \"{}\"", m_definition.startsWith));
    }
  }

  void target(const std::string& pointer, const std::string& name, bool required, const std::string& why = {}) {
    if (name.empty()) {
      if (required) {
        problem(pointer, why.empty() ? std::string("is required") : "is required: " + why);
      }
    } else if (!m_definition.findNode(name)) {
      problem(pointer, fmt::format("no node \"{}\"", name));
    }
  }

  // A wait's seconds: more than 0 and at most ten years (a clock can add them up).
  void seconds(const std::string& pointer, double value) {
    constexpr double kTenYearsS = 3650.0 * 24 * 3600;
    if (!(value > 0)) {
      problem(pointer, "must be more than 0 seconds");
    } else if (value > kTenYearsS) {
      problem(pointer, fmt::format("must be at most {} seconds (ten years), not {}", kTenYearsS, value));
    }
  }

  void field(const std::string& pointer, const std::string& name) {
    if (name.empty()) {
      problem(pointer, "names no field");
    } else if (isReservedField(name)) {
      problem(pointer, "\"ctx\" is the run's context and cannot be written");
    }
  }

  void checkNode(const Node& node) {
    const std::string at = nodePointer(node.name);
    if (const auto* decision = std::get_if<DecisionNode>(&node.spec)) {
      checkDecision(at, *decision);
    } else if (const auto* action = std::get_if<ActionNode>(&node.spec)) {
      checkAction(at, *action);
    } else if (const auto* call = std::get_if<CallNode>(&node.spec)) {
      if (call->operation.empty()) {
        problem(at + "/operation", "is required: name the operation to call");
      } else if (!m_operationExists(call->operation)) {
        problem(at + "/operation", fmt::format("no operation \"{}\" is known", call->operation));
      }
      for (const auto& [name, expression] : call->inputs) {
        if (name.empty()) {
          problem(at + "/inputs", "an input has an empty name");
        }
      }
      if (!call->saveAs.empty()) {
        field(at + "/save_as", call->saveAs);
      }
      target(at + "/on_success", call->onSuccess, true, "say where the run goes when the call succeeds");
      target(at + "/on_failure", call->onFailure, false);
    } else if (const auto* wait = std::get_if<WaitNode>(&node.spec)) {
      checkWait(at, *wait);
    } else if (const auto* result = std::get_if<ResultNode>(&node.spec)) {
      for (std::size_t i = 0; i < result->fields.size(); ++i) {
        if (result->fields[i].empty()) {
          problem(at + "/outputs/" + std::to_string(i), "names no field");
        }
      }
    } else if (const auto* fail = std::get_if<FailNode>(&node.spec)) {
      if (fail->reason.is_null() || (fail->reason.is_string() && fail->reason.get<std::string>().empty())) {
        problem(at + "/reason", "is required: say why the operation fails");
      }
    }
  }

  void checkDecision(const std::string& at, const DecisionNode& decision) {
    if (decision.condition && !decision.cases.empty()) {
      problem(at, "a decision uses either condition (with if_true and if_false) or cases, not both");
    } else if (!decision.condition && decision.cases.empty()) {
      problem(at, "a decision needs a condition (with if_true and if_false) or cases");
    }
    if (decision.condition) {
      target(at + "/if_true", decision.ifTrue, true, "a decision needs both branches");
      target(at + "/if_false", decision.ifFalse, true, "a decision needs both branches");
    } else {
      if (!decision.ifTrue.empty()) {
        problem(at + "/if_true", "goes with condition; cases use go_to");
      }
      if (!decision.ifFalse.empty()) {
        problem(at + "/if_false", "goes with condition; cases use go_to");
      }
    }
    for (std::size_t i = 0; i < decision.cases.size(); ++i) {
      target(at + "/cases/" + std::to_string(i) + "/go_to", decision.cases[i].goTo, true);
    }
    if (decision.condition && !decision.otherwise.empty()) {
      problem(at + "/otherwise", "goes with cases; a condition uses if_false");
    }
    target(at + "/otherwise", decision.otherwise, false);
  }

  void checkAction(const std::string& at, const ActionNode& action) {
    const engine::HandlerSpec* handler = nullptr;
    if (!action.handler.empty()) {
      handler = m_handlers.find(action.handler);
      if (!handler) {
        problem(at + "/handler", fmt::format("no handler \"{}\" is registered", action.handler));
      }
    } else if (!action.with.empty()) {
      problem(at + "/with", "gives arguments but the action has no handler");
    }
    if (!action.with.is_object()) {
      problem(at + "/with", "must be an object of argument: value");
    }
    std::set<std::string> assigned;
    for (const auto& [name, expression] : action.set) {
      field(at + "/set/" + pointerToken(name), name);
      if (!assigned.insert(name).second) {
        problem(at + "/set/" + pointerToken(name), "is set twice");
      }
    }
    std::set<std::string> mapped;
    for (const ActionExit& exit : action.exits) {
      std::string pointer = at + "/exits/" + pointerToken(exit.name);
      mapped.insert(exit.name);
      target(pointer, exit.goTo, true);
      if (action.handler.empty()) {
        problem(pointer, "exits are chosen by a handler, and the action has none");
      } else if (handler && std::find(handler->exits.begin(), handler->exits.end(), exit.name) == handler->exits.end()) {
        problem(pointer, fmt::format("handler \"{}\" has no exit \"{}\" (it declares: {})", action.handler, exit.name,
                                     joined(handler->exits)));
      }
    }
    if (handler) {
      for (const std::string& exit : handler->exits) {
        if (!mapped.contains(exit)) {
          problem(at + "/exits", fmt::format("exit \"{}\" of handler \"{}\" has no target", exit, action.handler));
        }
      }
    }
    target(at + "/go_to", action.goTo, true,
           action.exits.empty() ? "say where the run goes next"
                                : "say where the run goes when the handler takes no named exit");
  }

  void checkWait(const std::string& at, const WaitNode& wait) {
    if (wait.signal.empty() && !wait.timerS) {
      problem(at, "a wait needs a signal or timer_s");
    }
    if (!wait.signal.empty() && wait.timerS) {
      problem(at + "/timer_s", "a wait for a signal bounds it with timeout_s, not timer_s");
    }
    if (wait.timerS) {
      seconds(at + "/timer_s", *wait.timerS);
    }
    if (wait.timeoutS) {
      seconds(at + "/timeout_s", *wait.timeoutS);
      if (wait.signal.empty()) {
        problem(at + "/timeout_s", "bounds the wait for a signal, and this wait has none");
      }
      target(at + "/on_timeout", wait.onTimeout, true, "say where the run goes when the timeout passes");
    } else if (!wait.onTimeout.empty()) {
      problem(at + "/on_timeout", "needs timeout_s");
    }
    if (!wait.saveAs.empty()) {
      field(at + "/save_as", wait.saveAs);
      if (wait.signal.empty()) {
        problem(at + "/save_as", "saves a signal's payload, and this wait has no signal");
      }
    }
    if (!wait.deadlineAs.empty()) {
      field(at + "/deadline_as", wait.deadlineAs);
      if (wait.deadlineAs.find('.') != std::string::npos) {
        problem(at + "/deadline_as", "names a field of the run's data itself, without dots");
      }
      if (!wait.timerS && !wait.timeoutS) {
        problem(at + "/deadline_as", "keeps the deadline of timer_s or timeout_s, and this wait has neither");
      }
      if (wait.deadlineAs == wait.saveAs) {
        problem(at + "/deadline_as", "is the field save_as writes the payload to");
      }
    }
    target(at + "/go_to", wait.goTo, true, "say where the run goes next");
  }

  void checkReachability() {
    const Node* start = m_definition.findNode(m_definition.startsWith);
    if (!start) {
      return;
    }
    std::map<std::string, std::vector<std::string>> successors;
    std::map<std::string, std::vector<std::string>> predecessors;
    for (const Node& node : m_definition.nodes) {
      for (const Edge& edge : edgesOf(node)) {
        if (m_definition.findNode(edge.target)) {
          successors[node.name].push_back(edge.target);
          predecessors[edge.target].push_back(node.name);
        }
      }
    }
    std::set<std::string> reachable = walk({start->name}, successors);
    std::vector<std::string> ends;
    for (const Node& node : m_definition.nodes) {
      if (node.kind() == NodeKind::Result || node.kind() == NodeKind::Fail) {
        ends.push_back(node.name);
      }
    }
    std::set<std::string> canEnd = walk(ends, predecessors);
    for (const Node& node : m_definition.nodes) {
      if (!reachable.contains(node.name)) {
        problem(nodePointer(node.name), fmt::format("is unreachable from \"{}\"", m_definition.startsWith));
      }
    }
    if (!canEnd.contains(start->name)) {
      problem("/starts_with", "no result or fail node can be reached: the operation never ends");
      return;
    }
    for (const Node& node : m_definition.nodes) {
      if (reachable.contains(node.name) && !canEnd.contains(node.name)) {
        problem(nodePointer(node.name), "no result or fail can be reached from here: a loop with no way out");
      }
    }
  }

  static std::set<std::string> walk(const std::vector<std::string>& from,
                                    const std::map<std::string, std::vector<std::string>>& edges) {
    std::set<std::string> seen(from.begin(), from.end());
    std::deque<std::string> queue(from.begin(), from.end());
    while (!queue.empty()) {
      std::string current = std::move(queue.front());
      queue.pop_front();
      auto found = edges.find(current);
      if (found == edges.end()) {
        continue;
      }
      for (const std::string& next : found->second) {
        if (seen.insert(next).second) {
          queue.push_back(next);
        }
      }
    }
    return seen;
  }

  const OperationDefinition& m_definition;
  const engine::HandlerRegistry& m_handlers;
  const DefinitionValidator::OperationExists& m_operationExists;
  std::vector<Problem> m_problems;
};

} // namespace

const std::vector<std::string>& knownRoles() {
  static const std::vector<std::string> roles = [] {
    std::vector<std::string> names;
    for (domain::Role role : domain::allRoles()) {
      names.emplace_back(domain::toString(role));
    }
    return names;
  }();
  return roles;
}

DefinitionValidator::DefinitionValidator(const engine::HandlerRegistry& handlers, OperationExists operationExists)
    : m_handlers(handlers), m_operationExists(std::move(operationExists)) {}

std::vector<Problem> DefinitionValidator::validate(const OperationDefinition& definition) const {
  return Checker(definition, m_handlers, m_operationExists).run();
}

} // namespace opflow::model
