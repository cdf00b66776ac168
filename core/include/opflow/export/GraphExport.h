// Text exports of an operation's flowchart, drawn from the definition the engine runs:
// Graphviz DOT and Mermaid. Node shapes by kind (decision diamond, action box, call
// double box, wait hexagon, result stadium/oval, fail octagon); edges labelled as
// model::edgesOf labels them (true/false, case conditions in readable form, exits,
// success/failure, signal, timer, timeout). Output is deterministic.
// Thread-safety: free functions over values.
#pragma once

#include "opflow/model/OperationDefinition.h"

#include <string>

namespace opflow::exporting {

[[nodiscard]] std::string toDot(const model::OperationDefinition& definition);
[[nodiscard]] std::string toMermaid(const model::OperationDefinition& definition);

} // namespace opflow::exporting
