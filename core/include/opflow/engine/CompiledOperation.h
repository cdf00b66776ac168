// CompiledOperation: a validated definition prepared for the engine. Node targets are
// resolved to indexes, expressions compiled, handlers looked up, and for each node the
// fewest steps to an end are known (structural progress). A run holds a shared pointer to
// the CompiledOperation it started with, so loading a newer version never changes it.
// Thread-safety: immutable after compile(); share freely.
#pragma once

#include "opflow/Result.h"
#include "opflow/engine/Handler.h"
#include "opflow/logic/Expression.h"
#include "opflow/model/DefinitionValidator.h"
#include "opflow/model/OperationDefinition.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opflow::engine {

class HandlerRegistry;

inline constexpr std::size_t kNoNode = static_cast<std::size_t>(-1);

struct CompiledAssignment {
  std::string field; // dot path
  logic::Expression value;
};

struct CompiledCase {
  logic::Expression when;
  std::size_t target = kNoNode;
};

struct CompiledExit {
  std::string name;
  std::size_t target = kNoNode;
};

struct CompiledNode {
  const model::Node* node = nullptr;
  model::NodeKind kind = model::NodeKind::Action;

  std::optional<logic::Expression> condition;     // decision
  std::size_t ifTrue = kNoNode, ifFalse = kNoNode; // decision
  std::vector<CompiledCase> cases;                 // decision
  std::size_t otherwise = kNoNode;                 // decision

  const HandlerSpec* handler = nullptr;            // action
  std::vector<CompiledAssignment> with;            // action handler arguments
  std::vector<CompiledAssignment> assignments;     // action `set`, call `inputs`, result outputs
  std::size_t next = kNoNode;                      // action go_to, call on_success, wait go_to
  std::vector<CompiledExit> exits;                 // action exits
  std::size_t onFailure = kNoNode;                 // call
  std::size_t onTimeout = kNoNode;                 // wait
  std::optional<logic::Expression> reason;         // fail

  std::size_t stepsToEnd = 0; // fewest steps from here to a result or fail (inclusive)
};

class CompiledOperation {
public:
  // Validates `definition` (see DefinitionValidator) and compiles it.
  [[nodiscard]] static Result<std::shared_ptr<const CompiledOperation>>
  compile(model::OperationDefinition definition, const HandlerRegistry& handlers,
          const model::DefinitionValidator::OperationExists& operationExists);

  [[nodiscard]] const model::OperationDefinition& definition() const { return m_definition; }
  [[nodiscard]] const std::string& name() const { return m_definition.name; }
  [[nodiscard]] std::int64_t version() const { return m_definition.version; }
  // SHA-256 (hex) of the definition's canonical JSON.
  [[nodiscard]] const std::string& contentHash() const { return m_contentHash; }

  [[nodiscard]] std::size_t start() const { return m_start; }
  [[nodiscard]] const std::vector<CompiledNode>& nodes() const { return m_nodes; }
  [[nodiscard]] std::size_t indexOf(const std::string& nodeName) const; // kNoNode if none

private:
  CompiledOperation() = default;

  model::OperationDefinition m_definition;
  std::string m_contentHash;
  std::vector<CompiledNode> m_nodes;
  std::size_t m_start = 0;
};

// SHA-256 (hex) of the canonical JSON of a definition.
[[nodiscard]] std::string contentHashOf(const model::OperationDefinition& definition);

} // namespace opflow::engine
