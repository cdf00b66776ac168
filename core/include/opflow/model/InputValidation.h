// Checking values against input declarations: at load time for defaults and enums, and
// when a run starts, for the inputs it was given. Every problem is named, by pointer
// "/inputs/<name>", so an operator sees all that is wrong at once.
// Thread-safety: free functions over values.
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"
#include "opflow/model/InputSpec.h"

#include <optional>
#include <string>
#include <vector>

namespace opflow::model {

// The most characters a text input may have, whatever its declaration.
inline constexpr std::size_t kMaxTextInputLength = 4096;

// Why `value` does not fit `spec` (type, enum, min/max), or nothing when it fits. Text
// inputs hold at most kMaxTextInputLength characters and no control characters but tab
// and line break (an escape sequence in a name repaints whoever prints it).
[[nodiscard]] std::optional<std::string> checkInputValue(const InputSpec& spec, const Json& value);

// The inputs with defaults applied and integral numbers normalised, or an error that lists
// every missing, unknown or ill-typed input. `given` must be an object.
[[nodiscard]] Result<Json> resolveInputs(const std::vector<InputSpec>& specs, const Json& given);

} // namespace opflow::model
