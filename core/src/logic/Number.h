// A JavaScript-style number for JsonLogic arithmetic and comparison, kept exact where
// JSON is: nlohmann stores numbers as int64, uint64 or double, and so does Number, so
// 2 + 3 stays the integer 5 and huge unsigned ids compare exactly. Double NaN plays the
// part of JavaScript's NaN (a non-numeric string, a division by zero); it has no JSON
// form, so toJson() turns it, and the infinities, into null.
#pragma once

#include "opflow/Json.h"

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace opflow::logic {

struct Number {
  enum class Kind : std::uint8_t { Int, UInt, Double };
  Kind kind = Kind::Int;
  std::int64_t i = 0;  // Kind::Int
  std::uint64_t u = 0; // Kind::UInt, only for values above INT64_MAX
  double d = 0.0;      // Kind::Double
};

[[nodiscard]] Number intNumber(std::int64_t value);
[[nodiscard]] Number uintNumber(std::uint64_t value);
[[nodiscard]] Number doubleNumber(double value);
[[nodiscard]] Number nanNumber();

[[nodiscard]] double toDouble(const Number& number);
[[nodiscard]] bool isNaN(const Number& number);

// JavaScript's StringToNumber: surrounding whitespace ignored, "" is 0, decimal with an
// optional exponent, 0x/0o/0b prefixes, "Infinity"; anything else is NaN.
[[nodiscard]] Number parseNumber(std::string_view text);

// Numeric order; unordered when either side is NaN.
[[nodiscard]] std::partial_ordering compareNumbers(const Number& a, const Number& b);

// Integer results stay integers unless they overflow int64 (then they become doubles).
[[nodiscard]] Number add(const Number& a, const Number& b);
[[nodiscard]] Number subtract(const Number& a, const Number& b);
[[nodiscard]] Number multiply(const Number& a, const Number& b);
[[nodiscard]] Number negate(const Number& a);
// NaN when b is zero; an integer when both are integers and b divides a exactly.
[[nodiscard]] Number divide(const Number& a, const Number& b);
// NaN when b is zero; the sign follows a, as in JavaScript.
[[nodiscard]] Number remainder(const Number& a, const Number& b);

// Non-finite values become null.
[[nodiscard]] Json toJson(const Number& number);

// JavaScript's Number::toString: 1 -> "1", 1.5 -> "1.5", 3.0 -> "3", 1e21 -> "1e+21".
void appendNumberText(std::string& out, const Number& number);

} // namespace opflow::logic
