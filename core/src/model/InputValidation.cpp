#include "opflow/model/InputValidation.h"

#include "opflow/Text.h"

#include <fmt/format.h>

#include <cmath>

namespace opflow::model {

namespace {

bool isIntegral(const Json& value) {
  if (value.is_number_integer()) {
    return true;
  }
  if (value.is_number_float()) {
    double number = value.get<double>();
    return std::isfinite(number) && number == std::trunc(number) && std::fabs(number) < 9.0e15;
  }
  return false;
}

bool hasType(InputType type, const Json& value) {
  switch (type) {
  case InputType::String: return value.is_string();
  case InputType::Integer: return isIntegral(value);
  case InputType::Number: return value.is_number();
  case InputType::Boolean: return value.is_boolean();
  case InputType::Object: return value.is_object();
  case InputType::Array: return value.is_array();
  }
  return false;
}

std::string article(InputType type) {
  return type == InputType::Integer || type == InputType::Object || type == InputType::Array ? "an" : "a";
}

// A value as a message shows it: its JSON, cut short (a refused value may be large).
std::string shown(const Json& value) {
  return shownBriefly(value.dump(-1, ' ', false, Json::error_handler_t::replace), 80);
}

std::string formatNumber(double value) {
  if (value == std::trunc(value) && std::fabs(value) < 9.0e15) {
    return std::to_string(static_cast<std::int64_t>(value));
  }
  return Json(value).dump();
}

Json normalised(InputType type, const Json& value) {
  if (type == InputType::Integer && value.is_number_float()) {
    return static_cast<std::int64_t>(value.get<double>());
  }
  return value;
}

} // namespace

std::optional<std::string> checkInputValue(const InputSpec& spec, const Json& value) {
  if (!hasType(spec.type, value)) {
    return fmt::format("must be {} {}, not {}", article(spec.type), toString(spec.type), shown(value));
  }
  if (!spec.allowed.empty()) {
    bool found = false;
    for (const Json& allowed : spec.allowed) {
      found = found || allowed == value;
    }
    if (!found) {
      std::string list;
      for (const Json& allowed : spec.allowed) {
        list += (list.empty() ? "" : ", ") + allowed.dump();
      }
      return fmt::format("must be one of {}, not {}", list, shown(value));
    }
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (auto fault = textFault(text, true)) {
      return fmt::format("holds a {} (at byte {}): text may hold tabs and line breaks, no other control characters",
                         fault->what, fault->offset);
    }
    if (const std::size_t length = codePointCount(text); length > kMaxTextInputLength) {
      return fmt::format("has {} characters, over the limit of {}", length, kMaxTextInputLength);
    }
  }
  if (value.is_number()) {
    double number = value.get<double>();
    if (spec.min && number < *spec.min) {
      return fmt::format("must be at least {}, not {}", formatNumber(*spec.min), shown(value));
    }
    if (spec.max && number > *spec.max) {
      return fmt::format("must be at most {}, not {}", formatNumber(*spec.max), shown(value));
    }
  }
  return std::nullopt;
}

Result<Json> resolveInputs(const std::vector<InputSpec>& specs, const Json& given) {
  if (!given.is_object()) {
    return makeError(ErrorCode::InvalidInputs, "the inputs must be a JSON object",
                     {Problem{"/inputs", fmt::format("must be an object, not {}", shown(given))}});
  }
  std::vector<Problem> problems;
  Json resolved = Json::object();
  for (const InputSpec& spec : specs) {
    std::string pointer = "/inputs/" + pointerToken(spec.name);
    auto found = given.find(spec.name);
    if (found == given.end() || found->is_null()) {
      if (spec.defaultValue) {
        resolved[spec.name] = normalised(spec.type, *spec.defaultValue);
      } else if (spec.required) {
        problems.push_back({pointer, fmt::format("is required ({})", toString(spec.type))});
      }
      continue;
    }
    if (auto problem = checkInputValue(spec, *found)) {
      problems.push_back({pointer, *problem});
    } else {
      resolved[spec.name] = normalised(spec.type, *found);
    }
  }
  for (const auto& [name, value] : given.items()) {
    bool declared = false;
    for (const InputSpec& spec : specs) {
      declared = declared || spec.name == name;
    }
    if (!declared) {
      problems.push_back({"/inputs/" + pointerToken(name), "is not an input of this operation"});
    }
  }
  if (!problems.empty()) {
    std::string message = fmt::format("{} input problem(s)", problems.size()); // before the move below
    return makeError(ErrorCode::InvalidInputs, std::move(message), std::move(problems));
  }
  return resolved;
}

} // namespace opflow::model
