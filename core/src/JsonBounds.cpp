#include "opflow/JsonBounds.h"

#include "opflow/Text.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <vector>

namespace opflow {

namespace {

JsonViolation tooLarge(std::size_t bytes, const JsonLimits& limits, const char* about) {
  return JsonViolation{"", std::nullopt,
                       fmt::format("{}{} bytes, over the limit of {}", about, bytes, limits.maxBytes)};
}

JsonViolation tooDeep(const JsonLimits& limits) {
  return JsonViolation{"", std::nullopt, fmt::format("nested deeper than {} levels", limits.maxDepth)};
}

// nlohmann's messages start with "[json.exception.parse_error.101] ": the id says nothing
// to a person.
std::string withoutExceptionId(const char* message) {
  std::string_view text(message);
  if (!text.empty() && text.front() == '[') {
    if (auto end = text.find("] "); end != std::string_view::npos) {
      text.remove_prefix(end + 2);
    }
  }
  return std::string(text);
}

template <class J>
Result<J> parseBounded(std::string_view text, const JsonLimits& limits) {
  if (auto violation = scanJsonText(text, limits)) {
    return makeError(ErrorCode::InvalidInputs, violation->describe());
  }
  try {
    return J::parse(text);
  } catch (const nlohmann::json::out_of_range& error) {
    return makeError(ErrorCode::InvalidInputs, withoutExceptionId(error.what()));
  } catch (const nlohmann::json::exception& error) {
    return makeError(ErrorCode::InvalidArgument, "not valid JSON: " + withoutExceptionId(error.what()));
  }
}

} // namespace

std::string JsonViolation::describe() const {
  if (!pointer.empty()) {
    return fmt::format("{}: {}", pointer, what);
  }
  if (offset) {
    return fmt::format("{} (at byte {})", what, *offset);
  }
  return what;
}

std::optional<JsonViolation> scanJsonText(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.maxBytes) {
    return tooLarge(text.size(), limits, "");
  }
  if (auto bad = invalidUtf8At(text)) {
    return JsonViolation{"", *bad,
                         fmt::format("byte 0x{:02X} is not UTF-8", static_cast<std::uint8_t>(text[*bad]))};
  }
  std::size_t depth = 0;
  bool inString = false;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limits.maxDepth) {
        JsonViolation violation = tooDeep(limits);
        violation.offset = i;
        return violation;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

Result<Json> parseJson(std::string_view text, const JsonLimits& limits) { return parseBounded<Json>(text, limits); }

Result<OrderedJson> parseOrderedJson(std::string_view text, const JsonLimits& limits) {
  return parseBounded<OrderedJson>(text, limits);
}

std::optional<JsonViolation> checkJson(const Json& value, const JsonLimits& limits) {
  struct Frame {
    const Json* value;
    std::size_t depth;
    std::string pointer;
  };
  std::vector<Frame> stack;
  stack.push_back({&value, 0, ""});
  std::size_t bytes = 0;
  auto notUtf8 = [](std::string pointer, const std::string& text, std::size_t at, const char* what) {
    return JsonViolation{pointer.empty() ? "/" : std::move(pointer), std::nullopt,
                         fmt::format("{} holds byte 0x{:02X}, which is not UTF-8", what,
                                     static_cast<std::uint8_t>(text[at]))};
  };
  while (!stack.empty()) {
    Frame frame = std::move(stack.back());
    stack.pop_back();
    const Json& current = *frame.value;
    if (current.is_object() || current.is_array()) {
      if (frame.depth + 1 > limits.maxDepth) {
        JsonViolation violation = tooDeep(limits);
        violation.pointer = frame.pointer.empty() ? "/" : frame.pointer;
        return violation;
      }
      bytes += 2;
      std::size_t index = 0;
      for (auto item = current.begin(); item != current.end(); ++item, ++index) {
        std::string pointer = frame.pointer + "/";
        if (current.is_object()) {
          const std::string& key = item.key();
          if (auto bad = invalidUtf8At(key)) {
            return notUtf8(frame.pointer, key, *bad, "a key");
          }
          pointer += pointerToken(key);
          bytes += key.size() + 4;
        } else {
          pointer += std::to_string(index);
          bytes += 1;
        }
        stack.push_back({&item.value(), frame.depth + 1, std::move(pointer)});
      }
    } else if (current.is_string()) {
      const std::string& text = current.get_ref<const std::string&>();
      if (auto bad = invalidUtf8At(text)) {
        return notUtf8(frame.pointer, text, *bad, "the text");
      }
      bytes += text.size() + 2;
    } else if (current.is_number_float()) {
      if (!std::isfinite(current.get<double>())) {
        return JsonViolation{frame.pointer.empty() ? "/" : frame.pointer, std::nullopt, "is not a finite number"};
      }
      bytes += 24;
    } else {
      bytes += 20;
    }
    if (bytes > limits.maxBytes) {
      return tooLarge(bytes, limits, "about ");
    }
  }
  return std::nullopt;
}

} // namespace opflow
