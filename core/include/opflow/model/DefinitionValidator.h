// DefinitionValidator: the structural checks a definition must pass before it may run.
// Names every problem by JSON pointer: missing or dangling targets, unregistered handlers
// and undeclared exits, unreachable nodes, nodes from which no result or fail can be
// reached, decisions without both branches, calls to unknown operations, inconsistent
// input declarations, unknown roles. (Expressions are checked as CompiledOperation
// compiles them.)
// Thread-safety: stateless apart from the references it is given; use from one thread.
#pragma once

#include "opflow/Result.h"
#include "opflow/model/OperationDefinition.h"

#include <functional>
#include <string>
#include <vector>

namespace opflow::engine {
class HandlerRegistry;
}

namespace opflow::model {

// The roles of DESIGN.md, in order of privilege.
[[nodiscard]] const std::vector<std::string>& knownRoles();

class DefinitionValidator {
public:
  using OperationExists = std::function<bool(const std::string& operationName)>;

  DefinitionValidator(const engine::HandlerRegistry& handlers, OperationExists operationExists);

  // Every problem found; empty when the definition is valid.
  [[nodiscard]] std::vector<Problem> validate(const OperationDefinition& definition) const;

private:
  const engine::HandlerRegistry& m_handlers;
  OperationExists m_operationExists;
};

} // namespace opflow::model
