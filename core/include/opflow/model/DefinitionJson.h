// Reading and writing operation definitions in the JSON format of DESIGN.md.
// Parsing checks the document's shape (kinds, keys, types) and reports every problem by
// JSON pointer; the semantic checks (targets, handlers, reachability) are
// DefinitionValidator's. Writing then reading a definition gives an equal definition.
// Thread-safety: free functions over values.
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"
#include "opflow/model/OperationDefinition.h"

#include <string_view>

namespace opflow::model {

[[nodiscard]] Result<OperationDefinition> definitionFromJson(const OrderedJson& document);
[[nodiscard]] Result<OperationDefinition> definitionFromText(std::string_view text);
[[nodiscard]] OrderedJson definitionToJson(const OperationDefinition& definition);

} // namespace opflow::model
