// An operation: a named, versioned flowchart with typed inputs and allowed roles.
// Built by OperationBuilder or read from JSON (DefinitionJson); validated by
// DefinitionValidator before anything runs it.
// Thread-safety: a value type.
#pragma once

#include "opflow/model/InputSpec.h"
#include "opflow/model/Node.h"

#include <cstdint>
#include <string>
#include <vector>

namespace opflow::model {

struct OperationDefinition {
  std::string name;
  std::int64_t version = 1;
  std::string title;
  std::string description;
  std::vector<std::string> roles; // empty: any role may run it
  std::vector<InputSpec> inputs;
  std::string startsWith;
  std::vector<Node> nodes; // in declaration order

  [[nodiscard]] const Node* findNode(const std::string& nodeName) const;
  [[nodiscard]] const InputSpec* findInput(const std::string& inputName) const;

  friend bool operator==(const OperationDefinition&, const OperationDefinition&) = default;
};

} // namespace opflow::model
