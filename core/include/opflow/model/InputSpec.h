// The declaration of one operation input: type, required, default, enum, min and max.
// Thread-safety: a value type.
#pragma once

#include "opflow/Json.h"

#include <optional>
#include <string>
#include <vector>

namespace opflow::model {

enum class InputType { String, Integer, Number, Boolean, Object, Array };

[[nodiscard]] const char* toString(InputType type);
[[nodiscard]] std::optional<InputType> inputTypeFromString(const std::string& text);

struct InputSpec {
  std::string name;
  InputType type = InputType::String;
  bool required = false;
  std::optional<Json> defaultValue;
  std::vector<Json> allowed; // the `enum`: empty means any value of the type
  std::optional<double> min; // numeric types only
  std::optional<double> max;
  std::string description;

  friend bool operator==(const InputSpec&, const InputSpec&) = default;
};

} // namespace opflow::model
