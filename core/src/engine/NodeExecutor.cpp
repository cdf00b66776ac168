// Executes single nodes. Handler writes are buffered and applied only when the handler
// succeeds, so a failing handler leaves the data as it found it; `set` expressions are
// evaluated after the handler's writes, so they can build on its results.
#include "NodeExecutor.h"

#include <fmt/format.h>

#include <algorithm>

namespace opflow::engine::detail {

namespace {

using model::NodeKind;

class BufferedEffects final : public HandlerEffects {
public:
  explicit BufferedEffects(ProgressSink* sink) : m_sink(sink) {}

  void set(const std::string& field, Json value) override { writes.emplace_back(field, std::move(value)); }

  void progress(double fraction, const std::string& message) override {
    if (m_sink) {
      m_sink->report(std::clamp(fraction, 0.0, 1.0), message);
    }
  }

  std::vector<std::pair<std::string, Json>> writes;

private:
  ProgressSink* m_sink;
};

Failure failure(const NodeScope& scope, const CompiledNode& node, std::string code, std::string message) {
  return Failure{RunError{std::move(code), std::move(message), {nodePath(scope.operation, node)}}};
}

void write(NodeScope& scope, const std::string& field, Json value) {
  if (scope.written) {
    (*scope.written)[field] = value;
  }
  writeField(scope.data, field, std::move(value));
}

void applyAssignments(NodeScope& scope, const std::vector<CompiledAssignment>& assignments) {
  for (const CompiledAssignment& assignment : assignments) {
    write(scope, assignment.field, assignment.value.evaluate(scope.data));
  }
}

std::string exitList(const std::vector<std::string>& exits) {
  std::string text;
  for (const std::string& exit : exits) {
    text += (text.empty() ? "" : ", ") + exit;
  }
  return text.empty() ? std::string("none") : text;
}

StepOutcome decide(const CompiledNode& node, NodeScope& scope) {
  if (node.condition) {
    bool result = node.condition->test(scope.data);
    return GoTo{result ? node.ifTrue : node.ifFalse, result ? "true" : "false"};
  }
  for (std::size_t i = 0; i < node.cases.size(); ++i) {
    if (node.cases[i].when.test(scope.data)) {
      return GoTo{node.cases[i].target, "case " + std::to_string(i + 1)};
    }
  }
  if (node.otherwise != kNoNode) {
    return GoTo{node.otherwise, "otherwise"};
  }
  return failure(scope, node, "no_decision", "no case matched and the decision has no otherwise");
}

StepOutcome act(const CompiledNode& node, NodeScope& scope) {
  std::string exit;
  if (node.handler) {
    const HandlerSpec& handler = *node.handler;
    Json args = Json::object();
    for (const CompiledAssignment& argument : node.with) {
      args[argument.field] = argument.value.evaluate(scope.data);
    }
    BufferedEffects effects(scope.progress);
    HandlerInput input{scope.data, args, scope.context, scope.stopToken};
    try {
      HandlerResult result = handler.fn(input, effects);
      if (!result) {
        return failure(scope, node, "handler_error",
                       fmt::format("handler \"{}\" failed: {}", handler.name, result.error().describe()));
      }
      exit = std::move(result).value();
    } catch (const std::exception& error) {
      return failure(scope, node, "handler_exception", fmt::format("handler \"{}\" threw: {}", handler.name, error.what()));
    } catch (...) {
      return failure(scope, node, "handler_exception", fmt::format("handler \"{}\" threw an unknown exception", handler.name));
    }
    if (!exit.empty() && std::find(handler.exits.begin(), handler.exits.end(), exit) == handler.exits.end()) {
      return failure(scope, node, "undeclared_exit",
                     fmt::format("handler \"{}\" chose exit \"{}\", which it does not declare (declared: {})",
                                 handler.name, exit, exitList(handler.exits)));
    }
    for (auto& [field, value] : effects.writes) {
      if (field == "ctx" || field.starts_with("ctx.")) {
        return failure(scope, node, "handler_error",
                       fmt::format("handler \"{}\" tried to write \"{}\": the run's context is read-only", handler.name, field));
      }
    }
    for (auto& [field, value] : effects.writes) {
      write(scope, field, std::move(value));
    }
  }
  applyAssignments(scope, node.assignments);
  if (exit.empty()) {
    return GoTo{node.next, ""};
  }
  for (const CompiledExit& declared : node.exits) {
    if (declared.name == exit) {
      return GoTo{declared.target, exit};
    }
  }
  return failure(scope, node, "undeclared_exit", fmt::format("exit \"{}\" has no target in this action", exit));
}

std::string reasonText(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

} // namespace

std::string nodePath(const CompiledOperation& operation, const CompiledNode& node) {
  return operation.name() + "/" + node.node->name;
}

void writeField(Json& data, const std::string& path, Json value) {
  Json* target = &data;
  std::size_t begin = 0;
  while (true) {
    std::size_t dot = path.find('.', begin);
    std::string key = path.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin);
    if (!target->is_object()) {
      *target = Json::object();
    }
    if (dot == std::string::npos) {
      (*target)[key] = std::move(value);
      return;
    }
    target = &(*target)[key];
    begin = dot + 1;
  }
}

StepOutcome executeNode(const CompiledNode& node, NodeScope& scope) {
  switch (node.kind) {
  case NodeKind::Decision: return decide(node, scope);
  case NodeKind::Action: return act(node, scope);
  case NodeKind::Call: {
    Json inputs = Json::object();
    for (const CompiledAssignment& input : node.assignments) {
      inputs[input.field] = input.value.evaluate(scope.data);
    }
    return CallRequest{std::get<model::CallNode>(node.node->spec).operation, std::move(inputs)};
  }
  case NodeKind::Wait: {
    const auto& wait = std::get<model::WaitNode>(node.node->spec);
    return ParkRequest{wait.signal, wait.signal.empty() ? wait.timerS : wait.timeoutS, wait.deadlineAs};
  }
  case NodeKind::Result: {
    Json outputs = Json::object();
    for (const CompiledAssignment& output : node.assignments) {
      writeField(outputs, output.field, output.value.evaluate(scope.data));
    }
    return Finish{std::move(outputs)};
  }
  case NodeKind::Fail:
    return failure(scope, node, "business_failure", reasonText(node.reason->evaluate(scope.data)));
  }
  return failure(scope, node, "internal", "unknown node kind");
}

StepOutcome resumeNode(const CompiledNode& node, NodeScope& scope, const WakeReason& wake) {
  if (node.kind == NodeKind::Wait) {
    const auto& wait = std::get<model::WaitNode>(node.node->spec);
    switch (wake.kind) {
    case WakeKind::Signal:
      if (!wait.saveAs.empty()) {
        write(scope, wait.saveAs, wake.payload);
      }
      return GoTo{node.next, "signal"};
    case WakeKind::Timer: return GoTo{node.next, "timer"};
    case WakeKind::Timeout: return GoTo{node.onTimeout, "timeout"};
    default: break;
    }
  } else if (node.kind == NodeKind::Call) {
    const auto& call = std::get<model::CallNode>(node.node->spec);
    if (wake.kind == WakeKind::ChildCompleted) {
      if (!call.saveAs.empty()) {
        write(scope, call.saveAs, wake.payload);
      }
      return GoTo{node.next, "success"};
    }
    if (wake.kind == WakeKind::ChildFailed) {
      if (node.onFailure != kNoNode) {
        if (!call.saveAs.empty()) {
          write(scope, call.saveAs, Json{{"error", wake.error.toJson()}});
        }
        return GoTo{node.onFailure, "failure"};
      }
      RunError error = wake.error;
      error.path.insert(error.path.begin(), nodePath(scope.operation, node));
      return Failure{std::move(error)};
    }
  }
  return failure(scope, node, "internal", "the node was woken by something it does not wait for");
}

} // namespace opflow::engine::detail
