// JavaScript's type coercions, applied to JSON values the way json-logic-js sees them.
// Deliberate differences from JavaScript, which has object identity where JSON has none:
// arrays and objects compare by value (deep) in ==, === and "in", not by reference.
#pragma once

#include "logic/Number.h"
#include "opflow/Json.h"

#include <compare>
#include <string>

namespace opflow::logic {

// JavaScript's ToNumber: null and false -> 0, true -> 1, strings parsed (NaN when not
// numeric), arrays through their string form ([] -> 0, [5] -> 5), objects -> NaN.
[[nodiscard]] Number toNumber(const Json& value);

// JavaScript's String(value): null -> "null", 1.5 -> "1.5", [1, [2, null]] -> "1,2,",
// objects -> "[object Object]".
void appendJsString(std::string& out, const Json& value);
[[nodiscard]] std::string jsString(const Json& value);

// ==: "1" == 1, 0 == false, "" == 0, null == null but null != 0, [1] == 1.
[[nodiscard]] bool looseEquals(const Json& a, const Json& b);

// ===: same JSON type and value; 1 === 1.0 (JavaScript has one number type).
[[nodiscard]] bool strictEquals(const Json& a, const Json& b);

// The relational comparison behind < <= > >=: two strings compare by code point,
// anything else numerically; unordered when a side is NaN (then every test is false).
[[nodiscard]] std::partial_ordering jsCompare(const Json& a, const Json& b);

} // namespace opflow::logic
