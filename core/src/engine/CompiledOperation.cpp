// Compiling a definition: validate its structure, compile every expression (collecting
// all problems from both), then resolve node names to indexes and count, for each node,
// the fewest steps to an end (a backward breadth-first walk from the result and fail
// nodes), which the engine uses for structural progress.
#include "opflow/engine/CompiledOperation.h"

#include "opflow/engine/HandlerRegistry.h"
#include "opflow/model/DefinitionJson.h"

#include <fmt/format.h>
#include <sodium.h>

#include <deque>
#include <map>

namespace opflow::engine {

using model::NodeKind;

namespace {

class ExpressionCompiler {
public:
  std::vector<Problem> problems;

  std::optional<logic::Expression> compile(const Json& rule, const std::string& pointer) {
    auto compiled = logic::Expression::compile(rule, pointer);
    if (!compiled) {
      const Error& error = compiled.error();
      if (error.problems.empty()) {
        problems.push_back({pointer, error.message});
      }
      problems.insert(problems.end(), error.problems.begin(), error.problems.end());
      return std::nullopt;
    }
    return std::move(compiled).value();
  }

  std::vector<CompiledAssignment> assignments(const model::Assignments& items, const std::string& pointer) {
    std::vector<CompiledAssignment> result;
    for (const auto& [field, rule] : items) {
      if (auto expression = compile(rule, pointer + "/" + pointerToken(field))) {
        result.push_back({field, std::move(*expression)});
      }
    }
    return result;
  }
};

} // namespace

std::string contentHashOf(const model::OperationDefinition& definition) {
  static const bool initialised = sodium_init() >= 0;
  static_cast<void>(initialised);
  // The written form keeps the order of `set` (applied in order) and of nodes; sorting
  // its keys would give {b: 1, a: b} and {a: b, b: 1} the same hash. A definition built in
  // C++ may hold bytes that are not UTF-8 (JSON files cannot): they are hashed as U+FFFD
  // instead of throwing, which leaves every valid definition's hash as it was.
  const std::string canonical = model::definitionToJson(definition).dump(-1, ' ', false, Json::error_handler_t::replace);
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::size_t CompiledOperation::indexOf(const std::string& nodeName) const {
  for (std::size_t i = 0; i < m_nodes.size(); ++i) {
    if (m_nodes[i].node->name == nodeName) {
      return i;
    }
  }
  return kNoNode;
}

Result<std::shared_ptr<const CompiledOperation>>
CompiledOperation::compile(model::OperationDefinition definition, const HandlerRegistry& handlers,
                           const model::DefinitionValidator::OperationExists& operationExists) {
  std::vector<Problem> problems = model::DefinitionValidator(handlers, operationExists).validate(definition);

  std::shared_ptr<CompiledOperation> op(new CompiledOperation());
  op->m_definition = std::move(definition);
  const model::OperationDefinition& def = op->m_definition;

  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < def.nodes.size(); ++i) {
    index.emplace(def.nodes[i].name, i);
  }
  auto at = [&index](const std::string& name) {
    auto found = index.find(name);
    return found == index.end() ? kNoNode : found->second;
  };

  ExpressionCompiler expressions;
  for (const model::Node& node : def.nodes) {
    const std::string pointer = "/nodes/" + pointerToken(node.name);
    CompiledNode compiled;
    compiled.node = &node;
    compiled.kind = node.kind();
    if (const auto* decision = std::get_if<model::DecisionNode>(&node.spec)) {
      if (decision->condition) {
        compiled.condition = expressions.compile(*decision->condition, pointer + "/condition");
      }
      compiled.ifTrue = at(decision->ifTrue);
      compiled.ifFalse = at(decision->ifFalse);
      for (std::size_t i = 0; i < decision->cases.size(); ++i) {
        auto when = expressions.compile(decision->cases[i].when, pointer + "/cases/" + std::to_string(i) + "/when");
        if (when) {
          compiled.cases.push_back({std::move(*when), at(decision->cases[i].goTo)});
        }
      }
      compiled.otherwise = at(decision->otherwise);
    } else if (const auto* action = std::get_if<model::ActionNode>(&node.spec)) {
      compiled.handler = action->handler.empty() ? nullptr : handlers.find(action->handler);
      if (action->with.is_object()) {
        for (const auto& [name, rule] : action->with.items()) {
          if (auto expression = expressions.compile(rule, pointer + "/with/" + pointerToken(name))) {
            compiled.with.push_back({name, std::move(*expression)});
          }
        }
      }
      compiled.assignments = expressions.assignments(action->set, pointer + "/set");
      compiled.next = at(action->goTo);
      for (const model::ActionExit& exit : action->exits) {
        compiled.exits.push_back({exit.name, at(exit.goTo)});
      }
    } else if (const auto* call = std::get_if<model::CallNode>(&node.spec)) {
      compiled.assignments = expressions.assignments(call->inputs, pointer + "/inputs");
      compiled.next = at(call->onSuccess);
      compiled.onFailure = at(call->onFailure);
    } else if (const auto* wait = std::get_if<model::WaitNode>(&node.spec)) {
      compiled.next = at(wait->goTo);
      compiled.onTimeout = at(wait->onTimeout);
    } else if (const auto* result = std::get_if<model::ResultNode>(&node.spec)) {
      if (result->expressions.empty()) {
        for (const std::string& field : result->fields) {
          if (auto expression = expressions.compile(Json{{"var", field}}, pointer + "/outputs")) {
            compiled.assignments.push_back({field, std::move(*expression)});
          }
        }
      } else {
        compiled.assignments = expressions.assignments(result->expressions, pointer + "/outputs");
      }
    } else if (const auto* fail = std::get_if<model::FailNode>(&node.spec)) {
      compiled.reason = expressions.compile(fail->reason, pointer + "/reason");
    }
    op->m_nodes.push_back(std::move(compiled));
  }

  problems.insert(problems.end(), expressions.problems.begin(), expressions.problems.end());
  if (!problems.empty()) {
    // The message is formatted before the problems are moved: argument order is unspecified.
    std::string message = fmt::format("operation \"{}\" v{} has {} problem(s)", def.name, def.version, problems.size());
    return makeError(ErrorCode::InvalidDefinition, std::move(message), std::move(problems));
  }

  op->m_start = at(def.startsWith);
  std::vector<std::vector<std::size_t>> predecessors(op->m_nodes.size());
  std::deque<std::size_t> queue;
  for (std::size_t i = 0; i < def.nodes.size(); ++i) {
    for (const model::Edge& edge : model::edgesOf(def.nodes[i])) {
      predecessors[at(edge.target)].push_back(i);
    }
    NodeKind kind = op->m_nodes[i].kind;
    if (kind == NodeKind::Result || kind == NodeKind::Fail) {
      op->m_nodes[i].stepsToEnd = 1;
      queue.push_back(i);
    }
  }
  while (!queue.empty()) {
    std::size_t current = queue.front();
    queue.pop_front();
    for (std::size_t previous : predecessors[current]) {
      if (op->m_nodes[previous].stepsToEnd == 0) {
        op->m_nodes[previous].stepsToEnd = op->m_nodes[current].stepsToEnd + 1;
        queue.push_back(previous);
      }
    }
  }
  op->m_contentHash = contentHashOf(def);
  return std::shared_ptr<const CompiledOperation>(std::move(op));
}

} // namespace opflow::engine
