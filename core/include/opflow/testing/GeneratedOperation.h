// generatedOperation(): a synthetic operation of a chosen size for layout tests and
// benchmarks. It is shaped like the shipped ones (a main path through decisions, actions,
// calls and waits, side exits into fail nodes, forward skips, loops back, one result at the
// end, titles of varied length) and it validates: its actions run no handler, its calls
// call the operation itself. The same (nodeCount, seed) always gives the same definition.
// Thread-safety: a free function over values.
#pragma once

#include "opflow/model/OperationDefinition.h"

#include <cstddef>
#include <cstdint>

namespace opflow::testing {

// An operation named "generated.<nodeCount>" with exactly `nodeCount` nodes (at least 2).
[[nodiscard]] model::OperationDefinition generatedOperation(std::size_t nodeCount, std::uint32_t seed = 1);

} // namespace opflow::testing
