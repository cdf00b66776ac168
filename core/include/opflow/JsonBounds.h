// Bounded JSON: what core accepts as JSON from outside. Run inputs, signal payloads and
// definition files reach the journal and the audit log, which are permanent, and every
// later reader walks them (printers, the console, the verifier, nlohmann's own recursive
// dump), so what is nested too deep, too large, not UTF-8 or holds a number no double
// can carry is refused at the door with a message naming the limit, and never kept.
// Text is scanned before it is parsed, so a hostile document costs one linear pass; a
// value built in memory is walked without recursion.
// Thread-safety: pure functions.
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace opflow {

struct JsonLimits {
  std::size_t maxDepth = 32;        // nesting of arrays and objects
  std::size_t maxBytes = 64 * 1024; // the text, or the value's compact JSON
};

// Run inputs and signal payloads: business data, a few fields deep.
inline constexpr JsonLimits kInputLimits{32, 64 * 1024};
// Definition files: JsonLogic nests deeper than data, and a large flowchart is larger.
inline constexpr JsonLimits kDefinitionLimits{64, 4 * 1024 * 1024};

// Why JSON was refused, and where: a JSON pointer into a value, or a byte offset of a text.
struct JsonViolation {
  std::string pointer;
  std::optional<std::size_t> offset;
  std::string what; // "nested deeper than 32 levels", "65600 bytes, over the limit of 65536", ...

  // "/a/b: what", "what (at byte N)" or "what".
  [[nodiscard]] std::string describe() const;
};

// The first limit `text` breaks before any parsing: its size, its nesting depth, bytes
// that are not UTF-8. Syntax is not checked here.
[[nodiscard]] std::optional<JsonViolation> scanJsonText(std::string_view text, const JsonLimits& limits);

// Parses one JSON value within `limits`: InvalidInputs for a broken limit or a number out
// of range (1e400), InvalidArgument for malformed JSON; the message says which and where.
[[nodiscard]] Result<Json> parseJson(std::string_view text, const JsonLimits& limits);
[[nodiscard]] Result<OrderedJson> parseOrderedJson(std::string_view text, const JsonLimits& limits);

// The first limit a value built in memory breaks: depth, compact size, strings and keys
// that are not UTF-8, numbers that are not finite.
[[nodiscard]] std::optional<JsonViolation> checkJson(const Json& value, const JsonLimits& limits);

} // namespace opflow
