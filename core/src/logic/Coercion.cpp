// JavaScript coercion rules over nlohmann values. The common cases (numbers, strings,
// booleans, null) work on the values in place without building temporaries; only arrays
// and objects, which JavaScript first turns into strings, allocate.
#include "logic/Coercion.h"

#include "opflow/logic/Expression.h"

#include <cmath>
#include <string_view>

namespace opflow::logic {
namespace {

enum class Category { Null, Boolean, Number, String, Array, Object, Other };

Category categoryOf(const Json& value) {
  switch (value.type()) {
  case Json::value_t::null: return Category::Null;
  case Json::value_t::boolean: return Category::Boolean;
  case Json::value_t::number_integer:
  case Json::value_t::number_unsigned:
  case Json::value_t::number_float: return Category::Number;
  case Json::value_t::string: return Category::String;
  case Json::value_t::array: return Category::Array;
  case Json::value_t::object: return Category::Object;
  case Json::value_t::binary:
  case Json::value_t::discarded: return Category::Other;
  }
  return Category::Other;
}

std::string_view stringView(const Json& value) { return value.get_ref<const std::string&>(); }

Number numberOf(const Json& value) {
  switch (value.type()) {
  case Json::value_t::number_integer: return intNumber(value.get<std::int64_t>());
  case Json::value_t::number_unsigned: return uintNumber(value.get<std::uint64_t>());
  default: return doubleNumber(value.get<double>());
  }
}

} // namespace

Number toNumber(const Json& value) {
  switch (categoryOf(value)) {
  case Category::Null: return intNumber(0);
  case Category::Boolean: return intNumber(value.get<bool>() ? 1 : 0);
  case Category::Number: return numberOf(value);
  case Category::String: return parseNumber(stringView(value));
  case Category::Array: return parseNumber(jsString(value));
  case Category::Object:
  case Category::Other: return nanNumber();
  }
  return nanNumber();
}

void appendJsString(std::string& out, const Json& value) {
  switch (categoryOf(value)) {
  case Category::Null: out += "null"; return;
  case Category::Boolean: out += value.get<bool>() ? "true" : "false"; return;
  case Category::Number: appendNumberText(out, numberOf(value)); return;
  case Category::String: out += stringView(value); return;
  case Category::Array: {
    bool first = true;
    for (const Json& element : value) {
      if (!first) {
        out += ',';
      }
      first = false;
      if (!element.is_null()) { // Array.prototype.join writes null as ""
        appendJsString(out, element);
      }
    }
    return;
  }
  case Category::Object:
  case Category::Other: out += "[object Object]"; return;
  }
}

std::string jsString(const Json& value) {
  std::string out;
  appendJsString(out, value);
  return out;
}

bool strictEquals(const Json& a, const Json& b) {
  const Category category = categoryOf(a);
  if (category != categoryOf(b)) {
    return false;
  }
  switch (category) {
  case Category::Null: return true;
  case Category::Boolean: return a.get<bool>() == b.get<bool>();
  case Category::Number: return compareNumbers(numberOf(a), numberOf(b)) == 0;
  case Category::String: return stringView(a) == stringView(b);
  case Category::Array: {
    if (a.size() != b.size()) {
      return false;
    }
    for (std::size_t index = 0; index < a.size(); ++index) {
      if (!strictEquals(a[index], b[index])) {
        return false;
      }
    }
    return true;
  }
  case Category::Object: {
    if (a.size() != b.size()) {
      return false;
    }
    for (auto left = a.begin(), right = b.begin(); left != a.end(); ++left, ++right) {
      if (left.key() != right.key() || !strictEquals(left.value(), right.value())) {
        return false;
      }
    }
    return true;
  }
  case Category::Other: return a == b;
  }
  return false;
}

bool looseEquals(const Json& a, const Json& b) {
  const Category left = categoryOf(a);
  const Category right = categoryOf(b);
  if (left == right) {
    return strictEquals(a, b);
  }
  if (left == Category::Null || right == Category::Null) {
    return false; // null is loosely equal only to null (and undefined)
  }
  if (left == Category::Boolean) {
    return looseEquals(Json(a.get<bool>() ? 1 : 0), b);
  }
  if (right == Category::Boolean) {
    return looseEquals(a, Json(b.get<bool>() ? 1 : 0));
  }
  const bool leftStructured = left == Category::Array || left == Category::Object;
  const bool rightStructured = right == Category::Array || right == Category::Object;
  if (leftStructured && rightStructured) {
    return false; // an array and an object
  }
  if (leftStructured) {
    return looseEquals(Json(jsString(a)), b);
  }
  if (rightStructured) {
    return looseEquals(a, Json(jsString(b)));
  }
  if (left == Category::Other || right == Category::Other) {
    return false;
  }
  return compareNumbers(toNumber(a), toNumber(b)) == 0; // a number and a string
}

std::partial_ordering jsCompare(const Json& a, const Json& b) {
  if (a.is_structured()) {
    return jsCompare(Json(jsString(a)), b);
  }
  if (b.is_structured()) {
    return jsCompare(a, Json(jsString(b)));
  }
  if (a.is_string() && b.is_string()) {
    // UTF-8 byte order is code point order.
    const int order = stringView(a).compare(stringView(b));
    return order < 0 ? std::partial_ordering::less
                     : (order > 0 ? std::partial_ordering::greater : std::partial_ordering::equivalent);
  }
  return compareNumbers(toNumber(a), toNumber(b));
}

bool truthy(const Json& value) {
  switch (value.type()) {
  case Json::value_t::null: return false;
  case Json::value_t::boolean: return value.get<bool>();
  case Json::value_t::number_integer: return value.get<std::int64_t>() != 0;
  case Json::value_t::number_unsigned: return value.get<std::uint64_t>() != 0;
  case Json::value_t::number_float: {
    const double number = value.get<double>();
    return number != 0.0 && !std::isnan(number);
  }
  case Json::value_t::string: return !value.get_ref<const std::string&>().empty();
  case Json::value_t::array: return !value.empty();
  case Json::value_t::object:
  case Json::value_t::binary: return true;
  case Json::value_t::discarded: return false;
  }
  return false;
}

} // namespace opflow::logic
