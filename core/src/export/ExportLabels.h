// Label text shared by the DOT and Mermaid exports. Labels are plain text with '\n'
// between lines; each exporter escapes them for its own syntax.
// Thread-safety: free functions over values.
#pragma once

#include "opflow/model/OperationDefinition.h"

#include <string>

namespace opflow::exporting {

// The node's title (or its name), then one detail line by kind: a decision's condition in
// readable form (cases are labelled on their edges), an action's handler, "→ <operation>"
// for a call, a wait's signal or "timer Ns".
[[nodiscard]] std::string nodeLabel(const model::Node& node);

// "<title>\n<name> v<version>", or "<name> v<version>" without a title.
[[nodiscard]] std::string graphLabel(const model::OperationDefinition& definition);

} // namespace opflow::exporting
