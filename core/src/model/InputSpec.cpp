#include "opflow/model/InputSpec.h"

#include <array>

namespace opflow::model {

namespace {
constexpr std::array<const char*, 6> kTypeNames = {"string", "integer", "number", "boolean", "object", "array"};
}

const char* toString(InputType type) { return kTypeNames.at(static_cast<std::size_t>(type)); }

std::optional<InputType> inputTypeFromString(const std::string& text) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
    if (text == kTypeNames[i]) {
      return static_cast<InputType>(i);
    }
  }
  return std::nullopt;
}

} // namespace opflow::model
