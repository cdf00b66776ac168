// The readable text of one operation, as the console shows it: title, name and version,
// description, roles, inputs, start node, then every node in declaration order with what
// it does and where it goes next. Conditions and expressions read as logic::describe
// writes them.
// Thread-safety: a free function over a value; call it from any thread.
#pragma once

#include "opflow/model/OperationDefinition.h"

#include <QString>

namespace opflow::ui {

[[nodiscard]] QString operationText(const model::OperationDefinition& definition);

} // namespace opflow::ui
