// The text rules of a new definition: names and titles are printed in tables, flowcharts
// and the audit log, so each is one line without control characters or direction
// overrides, of at most 200 characters; descriptions may break lines, up to 4,096.
// Applied where a definition enters (a file read for validate, load or run), not to
// definitions an older build stored, which keep loading.
// Thread-safety: a free function.
#pragma once

#include "opflow/Result.h"
#include "opflow/model/OperationDefinition.h"

#include <vector>

namespace opflow::model {

// Every text of `definition` that breaks a rule, by JSON pointer; empty when none does.
[[nodiscard]] std::vector<Problem> textProblems(const OperationDefinition& definition);

} // namespace opflow::model
