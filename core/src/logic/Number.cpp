// Number arithmetic and text conversion. Integer operations use the overflow-checking
// builtins and fall back to double on overflow; doubles print through std::to_chars
// (shortest round-trip digits, locale independent) rearranged into JavaScript's layout.
#include "logic/Number.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace opflow::logic {
namespace {

constexpr std::int64_t kIntMin = std::numeric_limits<std::int64_t>::min();

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool bothInt(const Number& a, const Number& b) {
  return a.kind == Number::Kind::Int && b.kind == Number::Kind::Int;
}

bool isZero(const Number& number) {
  switch (number.kind) {
  case Number::Kind::Int: return number.i == 0;
  case Number::Kind::UInt: return false;
  case Number::Kind::Double: return number.d == 0.0;
  }
  return false;
}

int digitValue(char c) {
  if (isDigit(c)) {
    return c - '0';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'Z') {
    return c - 'A' + 10;
  }
  return 99;
}

// "0x1F", "0o17", "0b101" without the prefix; NaN on a bad digit.
Number parseRadix(std::string_view digits, int radix) {
  if (digits.empty()) {
    return nanNumber();
  }
  std::uint64_t exact = 0;
  double approximate = 0.0;
  bool overflowed = false;
  for (char c : digits) {
    const int digit = digitValue(c);
    if (digit >= radix) {
      return nanNumber();
    }
    approximate = approximate * radix + digit;
    const auto factor = static_cast<std::uint64_t>(radix);
    const auto addend = static_cast<std::uint64_t>(digit);
    if (__builtin_mul_overflow(exact, factor, &exact) || __builtin_add_overflow(exact, addend, &exact)) {
      overflowed = true;
    }
  }
  return overflowed ? doubleNumber(approximate) : uintNumber(exact);
}

// Checks JavaScript's StrDecimalLiteral grammar (without sign and "Infinity"):
// digits [. digits] [e [+-] digits], at least one mantissa digit.
bool isDecimalLiteral(std::string_view text, bool& integral, bool& negativeExponent) {
  std::size_t pos = 0;
  std::size_t mantissaDigits = 0;
  while (pos < text.size() && isDigit(text[pos])) {
    ++pos;
    ++mantissaDigits;
  }
  integral = true;
  negativeExponent = false;
  if (pos < text.size() && text[pos] == '.') {
    integral = false;
    ++pos;
    while (pos < text.size() && isDigit(text[pos])) {
      ++pos;
      ++mantissaDigits;
    }
  }
  if (mantissaDigits == 0) {
    return false;
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    integral = false;
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      negativeExponent = text[pos] == '-';
      ++pos;
    }
    const std::size_t exponentStart = pos;
    while (pos < text.size() && isDigit(text[pos])) {
      ++pos;
    }
    if (pos == exponentStart) {
      return false;
    }
  }
  return pos == text.size();
}

void appendDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (value == 0.0) {
    out += '0';
    return;
  }
  if (value < 0) {
    out += '-';
    value = -value;
  }
  // Shortest round-trip digits as "d.ddde+XX"; then JavaScript's Number::toString layout.
  std::array<char, 40> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                       std::chars_format::scientific);
  const std::string_view text(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  const std::size_t ePos = text.find('e');
  std::array<char, 40> digitBuffer{};
  std::size_t k = 0;
  for (std::size_t pos = 0; pos < ePos; ++pos) {
    if (text[pos] != '.') {
      digitBuffer[k++] = text[pos];
    }
  }
  const std::string_view digits(digitBuffer.data(), k);
  std::size_t expPos = ePos + 1;
  const bool expNegative = text[expPos] == '-';
  if (text[expPos] == '+' || text[expPos] == '-') {
    ++expPos;
  }
  int exponent = 0;
  std::from_chars(text.data() + expPos, text.data() + text.size(), exponent);
  const int n = (expNegative ? -exponent : exponent) + 1; // position of the decimal point
  const auto digitCount = static_cast<int>(k);
  if (digitCount <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - digitCount), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += n - 1 >= 0 ? "e+" : "e-";
    out += std::to_string(n - 1 >= 0 ? n - 1 : 1 - n);
  }
}

} // namespace

Number intNumber(std::int64_t value) {
  Number number;
  number.i = value;
  return number;
}

Number uintNumber(std::uint64_t value) {
  if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return intNumber(static_cast<std::int64_t>(value));
  }
  Number number;
  number.kind = Number::Kind::UInt;
  number.u = value;
  return number;
}

Number doubleNumber(double value) {
  Number number;
  number.kind = Number::Kind::Double;
  number.d = value;
  return number;
}

Number nanNumber() { return doubleNumber(std::numeric_limits<double>::quiet_NaN()); }

double toDouble(const Number& number) {
  switch (number.kind) {
  case Number::Kind::Int: return static_cast<double>(number.i);
  case Number::Kind::UInt: return static_cast<double>(number.u);
  case Number::Kind::Double: return number.d;
  }
  return 0.0;
}

bool isNaN(const Number& number) { return number.kind == Number::Kind::Double && std::isnan(number.d); }

Number parseNumber(std::string_view text) {
  while (!text.empty() && isSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && isSpace(text.back())) {
    text.remove_suffix(1);
  }
  if (text.empty()) {
    return intNumber(0);
  }
  if (text.size() > 2 && text[0] == '0') {
    switch (text[1]) {
    case 'x': case 'X': return parseRadix(text.substr(2), 16);
    case 'o': case 'O': return parseRadix(text.substr(2), 8);
    case 'b': case 'B': return parseRadix(text.substr(2), 2);
    default: break;
    }
  }
  const bool negative = text.front() == '-';
  std::string_view body = text;
  if (text.front() == '-' || text.front() == '+') {
    body.remove_prefix(1);
  }
  if (body == "Infinity") {
    return doubleNumber(negative ? -std::numeric_limits<double>::infinity()
                                 : std::numeric_limits<double>::infinity());
  }
  bool integral = false;
  bool negativeExponent = false;
  if (!isDecimalLiteral(body, integral, negativeExponent)) {
    return nanNumber();
  }
  // std::from_chars takes a leading '-' but not '+'.
  const std::string_view numeric = negative ? text : body;
  const char* first = numeric.data();
  const char* last = numeric.data() + numeric.size();
  if (integral) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec == std::errc() && ptr == last) {
      return intNumber(value);
    }
  }
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec == std::errc::result_out_of_range) {
    // Too large becomes Infinity, too small becomes 0, as in JavaScript.
    const double magnitude = negativeExponent ? 0.0 : std::numeric_limits<double>::infinity();
    return doubleNumber(negative ? -magnitude : magnitude);
  }
  if (ec != std::errc() || ptr != last) {
    return nanNumber();
  }
  return doubleNumber(value);
}

std::partial_ordering compareNumbers(const Number& a, const Number& b) {
  using Kind = Number::Kind;
  if (a.kind == Kind::Int && b.kind == Kind::Int) {
    return a.i <=> b.i;
  }
  if (a.kind == Kind::UInt && b.kind == Kind::UInt) {
    return a.u <=> b.u;
  }
  if (a.kind == Kind::Int && b.kind == Kind::UInt) {
    return std::partial_ordering::less; // every UInt is above INT64_MAX
  }
  if (a.kind == Kind::UInt && b.kind == Kind::Int) {
    return std::partial_ordering::greater;
  }
  return toDouble(a) <=> toDouble(b);
}

Number add(const Number& a, const Number& b) {
  std::int64_t result = 0;
  if (bothInt(a, b) && !__builtin_add_overflow(a.i, b.i, &result)) {
    return intNumber(result);
  }
  return doubleNumber(toDouble(a) + toDouble(b));
}

Number subtract(const Number& a, const Number& b) {
  std::int64_t result = 0;
  if (bothInt(a, b) && !__builtin_sub_overflow(a.i, b.i, &result)) {
    return intNumber(result);
  }
  return doubleNumber(toDouble(a) - toDouble(b));
}

Number multiply(const Number& a, const Number& b) {
  std::int64_t result = 0;
  if (bothInt(a, b) && !__builtin_mul_overflow(a.i, b.i, &result)) {
    return intNumber(result);
  }
  return doubleNumber(toDouble(a) * toDouble(b));
}

Number negate(const Number& a) {
  if (a.kind == Number::Kind::Int && a.i != kIntMin) {
    return intNumber(-a.i);
  }
  return doubleNumber(-toDouble(a));
}

Number divide(const Number& a, const Number& b) {
  if (isZero(b)) {
    return nanNumber();
  }
  if (bothInt(a, b) && !(a.i == kIntMin && b.i == -1) && a.i % b.i == 0) {
    return intNumber(a.i / b.i);
  }
  return doubleNumber(toDouble(a) / toDouble(b));
}

Number remainder(const Number& a, const Number& b) {
  if (isZero(b)) {
    return nanNumber();
  }
  if (bothInt(a, b)) {
    return intNumber(b.i == -1 ? 0 : a.i % b.i);
  }
  return doubleNumber(std::fmod(toDouble(a), toDouble(b)));
}

Json toJson(const Number& number) {
  switch (number.kind) {
  case Number::Kind::Int: return Json(number.i);
  case Number::Kind::UInt: return Json(number.u);
  case Number::Kind::Double: return std::isfinite(number.d) ? Json(number.d) : Json();
  }
  return Json();
}

void appendNumberText(std::string& out, const Number& number) {
  std::array<char, 24> buffer{};
  switch (number.kind) {
  case Number::Kind::Int: {
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number.i);
    out.append(buffer.data(), end);
    return;
  }
  case Number::Kind::UInt: {
    const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number.u);
    out.append(buffer.data(), end);
    return;
  }
  case Number::Kind::Double: appendDouble(out, number.d); return;
  }
}

} // namespace opflow::logic
