// Evaluation of a compiled node tree: one switch on the operator enum per node.
// Results are returned by reference (into the rule, the data, or a caller-provided
// scratch value), so var lookups and literals are never copied on the way to a
// comparison, and numbers are compared in place.
#include "logic/Coercion.h"
#include "logic/ExpressionNode.h"
#include "opflow/logic/Expression.h"

#include <cmath>
#include <string_view>

namespace opflow::logic {
namespace {

const Json kNull;
const Json kTrue = true;
const Json kFalse = false;

const Json& boolean(bool value) { return value ? kTrue : kFalse; }

// The value `result` as an independent Json, moved out of `scratch` when it lives there.
Json take(const Json& result, Json& scratch) {
  if (&result == &scratch) {
    return std::move(scratch);
  }
  return result;
}

Number numberOf(const ExpressionNode& node, const Json& data) {
  Json scratch;
  return toNumber(evaluateNode(node, data, scratch));
}

const Json& storeNumber(const Number& number, Json& scratch) {
  scratch = toJson(number);
  return scratch;
}

bool compareArguments(const ExpressionNode& node, const Json& data, bool (*accept)(std::partial_ordering)) {
  Json leftScratch;
  Json middleScratch;
  const Json& left = evaluateNode(node.children[0], data, leftScratch);
  const Json& middle = evaluateNode(node.children[1], data, middleScratch);
  if (!accept(jsCompare(left, middle))) {
    return false;
  }
  if (node.children.size() < 3) {
    return true;
  }
  Json rightScratch;
  return accept(jsCompare(middle, evaluateNode(node.children[2], data, rightScratch)));
}

bool isMissing(const Json* value) {
  return value == nullptr || value->is_null() ||
         (value->is_string() && value->get_ref<const std::string&>().empty());
}

// The keys of missing / missing_some that are not set (absent, null or "").
Json missingKeys(const ExpressionNode& node, const Json& keys, const Json& data) {
  Json missing = Json::array();
  for (std::size_t index = 0; index < keys.size(); ++index) {
    const Json* value =
        node.constantPaths ? lookup(node.paths[index], data) : lookup(parsePath(keys[index]), data);
    if (isMissing(value)) {
      missing.push_back(keys[index]);
    }
  }
  return missing;
}

// missing: its arguments, or the elements of its first argument when that is an array.
Json runtimeMissingKeys(const ExpressionNode& node, const Json& data) {
  Json keys = Json::array();
  for (const ExpressionNode& child : node.children) {
    Json scratch;
    const Json& key = evaluateNode(child, data, scratch);
    if (keys.empty() && key.is_array()) {
      return take(key, scratch);
    }
    keys.push_back(take(key, scratch));
  }
  return keys;
}

const Json& evaluateVar(const ExpressionNode& node, const Json& data, Json& scratch) {
  const Json* found = nullptr;
  if (node.constantPaths) {
    found = lookup(node.paths[0], data);
  } else {
    Json keyScratch;
    found = lookup(parsePath(evaluateNode(node.children[0], data, keyScratch)), data);
  }
  if (found != nullptr) {
    return *found;
  }
  if (node.children.size() > 1) {
    return evaluateNode(node.children[1], data, scratch);
  }
  return kNull;
}

const Json& evaluateMissingSome(const ExpressionNode& node, const Json& data, Json& scratch) {
  const Number needed = numberOf(node.children[0], data);
  Json runtimeKeys;
  if (!node.constantPaths) {
    Json optionsScratch;
    const Json& options = evaluateNode(node.children[1], data, optionsScratch);
    if (options.is_array()) {
      runtimeKeys = take(options, optionsScratch);
    } else {
      runtimeKeys = Json::array();
      runtimeKeys.push_back(options);
    }
  }
  const Json& keys = node.constantPaths ? node.literal : runtimeKeys;
  scratch = missingKeys(node, keys, data);
  const auto present = static_cast<std::int64_t>(keys.size() - scratch.size());
  if (compareNumbers(intNumber(present), needed) >= 0) {
    scratch = Json::array();
  }
  return scratch;
}

// The deciding value: and returns the first falsy argument, or returns the first truthy
// one; otherwise the last. Later arguments are not evaluated.
const Json& evaluateLogical(const ExpressionNode& node, const Json& data, Json& scratch, bool decidingTruth) {
  const Json* current = &kNull;
  for (const ExpressionNode& child : node.children) {
    current = &evaluateNode(child, data, scratch);
    if (truthy(*current) == decidingTruth) {
      return *current;
    }
  }
  return *current;
}

const Json& evaluateIf(const ExpressionNode& node, const Json& data, Json& scratch) {
  std::size_t index = 0;
  for (; index + 1 < node.children.size(); index += 2) {
    Json conditionScratch;
    if (truthy(evaluateNode(node.children[index], data, conditionScratch))) {
      return evaluateNode(node.children[index + 1], data, scratch);
    }
  }
  if (index < node.children.size()) {
    return evaluateNode(node.children[index], data, scratch);
  }
  return kNull;
}

Number fold(const ExpressionNode& node, const Json& data, Number (*combine)(const Number&, const Number&)) {
  Number total = numberOf(node.children[0], data);
  for (std::size_t index = 1; index < node.children.size(); ++index) {
    total = combine(total, numberOf(node.children[index], data));
  }
  return total;
}

const Json& evaluateExtreme(const ExpressionNode& node, const Json& data, Json& scratch, bool wantMax) {
  if (node.children.empty()) {
    return kNull;
  }
  Number best = numberOf(node.children[0], data);
  for (std::size_t index = 1; index < node.children.size() && !isNaN(best); ++index) {
    const Number candidate = numberOf(node.children[index], data);
    const std::partial_ordering order = compareNumbers(candidate, best);
    if (order == std::partial_ordering::unordered || (wantMax ? order > 0 : order < 0)) {
      best = candidate;
    }
  }
  return storeNumber(best, scratch);
}

std::size_t codePointCount(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    count += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
  }
  return count;
}

std::size_t byteOffset(std::string_view text, std::size_t codePoint) {
  std::size_t seen = 0;
  for (std::size_t offset = 0; offset < text.size(); ++offset) {
    if ((static_cast<unsigned char>(text[offset]) & 0xC0U) != 0x80U) {
      if (seen == codePoint) {
        return offset;
      }
      ++seen;
    }
  }
  return text.size();
}

// JavaScript's ToIntegerOrInfinity: NaN -> 0, otherwise truncated.
double integerOf(const Number& number) {
  const double value = toDouble(number);
  return std::isnan(value) ? 0.0 : std::trunc(value);
}

// json-logic-js substr: String.prototype.substr, plus a negative length that drops that
// many characters from the end. Counts code points (JavaScript counts UTF-16 units).
const Json& evaluateSubstr(const ExpressionNode& node, const Json& data, Json& scratch) {
  Json sourceScratch;
  const Json& sourceValue = evaluateNode(node.children[0], data, sourceScratch);
  const std::string source = sourceValue.is_string() ? sourceValue.get<std::string>() : jsString(sourceValue);
  const auto size = static_cast<double>(codePointCount(source));
  const double start = integerOf(numberOf(node.children[1], data));
  const double begin = start < 0 ? std::max(size + start, 0.0) : std::min(start, size);
  double end = size;
  if (node.children.size() > 2) {
    const double length = integerOf(numberOf(node.children[2], data));
    end = length < 0 ? std::max(begin, size + length) : std::min(begin + length, size);
  }
  const std::size_t first = byteOffset(source, static_cast<std::size_t>(begin));
  const std::size_t last = byteOffset(source, static_cast<std::size_t>(end));
  scratch = source.substr(first, last - first);
  return scratch;
}

// "in": a substring of a (non-empty) string, or a strictly equal element of an array.
bool evaluateIn(const ExpressionNode& node, const Json& data) {
  Json needleScratch;
  Json haystackScratch;
  const Json& needle = evaluateNode(node.children[0], data, needleScratch);
  const Json& haystack = evaluateNode(node.children[1], data, haystackScratch);
  if (haystack.is_string()) {
    const std::string& text = haystack.get_ref<const std::string&>();
    if (text.empty()) {
      return false;
    }
    if (needle.is_string()) {
      return text.find(needle.get_ref<const std::string&>()) != std::string::npos;
    }
    return text.find(jsString(needle)) != std::string::npos;
  }
  if (haystack.is_array()) {
    for (const Json& element : haystack) {
      if (strictEquals(element, needle)) {
        return true;
      }
    }
  }
  return false;
}

const Json& evaluateCat(const ExpressionNode& node, const Json& data, Json& scratch) {
  std::string text;
  for (const ExpressionNode& child : node.children) {
    Json childScratch;
    appendJsString(text, evaluateNode(child, data, childScratch));
  }
  scratch = std::move(text);
  return scratch;
}

const Json& evaluateMerge(const ExpressionNode& node, const Json& data, Json& scratch) {
  Json merged = Json::array();
  for (const ExpressionNode& child : node.children) {
    Json childScratch;
    const Json& value = evaluateNode(child, data, childScratch);
    if (value.is_array()) {
      for (const Json& element : value) {
        merged.push_back(element);
      }
    } else {
      merged.push_back(take(value, childScratch));
    }
  }
  scratch = std::move(merged);
  return scratch;
}

const Json& evaluateArray(const ExpressionNode& node, const Json& data, Json& scratch) {
  Json values = Json::array();
  for (const ExpressionNode& child : node.children) {
    Json childScratch;
    values.push_back(take(evaluateNode(child, data, childScratch), childScratch));
  }
  scratch = std::move(values);
  return scratch;
}

bool isLess(std::partial_ordering order) { return order < 0; }
bool isLessOrEqual(std::partial_ordering order) { return order <= 0; }
bool isGreater(std::partial_ordering order) { return order > 0; }
bool isGreaterOrEqual(std::partial_ordering order) { return order >= 0; }

} // namespace

const Json& evaluateNode(const ExpressionNode& node, const Json& data, Json& scratch) {
  switch (node.op) {
  case Op::Literal: return node.literal;
  case Op::Array: return evaluateArray(node, data, scratch);
  case Op::Var: return evaluateVar(node, data, scratch);
  case Op::Missing:
    scratch = node.constantPaths ? missingKeys(node, node.literal, data)
                                 : missingKeys(node, runtimeMissingKeys(node, data), data);
    return scratch;
  case Op::MissingSome: return evaluateMissingSome(node, data, scratch);
  case Op::Equal:
  case Op::NotEqual:
  case Op::StrictEqual:
  case Op::StrictNotEqual: {
    Json leftScratch;
    Json rightScratch;
    const Json& left = evaluateNode(node.children[0], data, leftScratch);
    const Json& right = evaluateNode(node.children[1], data, rightScratch);
    const bool strict = node.op == Op::StrictEqual || node.op == Op::StrictNotEqual;
    const bool equal = strict ? strictEquals(left, right) : looseEquals(left, right);
    return boolean(equal == (node.op == Op::Equal || node.op == Op::StrictEqual));
  }
  case Op::Less: return boolean(compareArguments(node, data, isLess));
  case Op::LessEqual: return boolean(compareArguments(node, data, isLessOrEqual));
  case Op::Greater: return boolean(compareArguments(node, data, isGreater));
  case Op::GreaterEqual: return boolean(compareArguments(node, data, isGreaterOrEqual));
  case Op::And: return evaluateLogical(node, data, scratch, false);
  case Op::Or: return evaluateLogical(node, data, scratch, true);
  case Op::Not:
  case Op::NotNot: {
    Json argumentScratch;
    const bool value = truthy(evaluateNode(node.children[0], data, argumentScratch));
    return boolean(node.op == Op::Not ? !value : value);
  }
  case Op::If: return evaluateIf(node, data, scratch);
  case Op::Add:
    return storeNumber(node.children.empty() ? intNumber(0) : fold(node, data, add), scratch);
  case Op::Subtract:
    if (node.children.size() == 1) {
      return storeNumber(negate(numberOf(node.children[0], data)), scratch);
    }
    return storeNumber(fold(node, data, subtract), scratch);
  case Op::Multiply: return storeNumber(fold(node, data, multiply), scratch);
  case Op::Divide: return storeNumber(fold(node, data, divide), scratch);
  case Op::Modulo: return storeNumber(fold(node, data, remainder), scratch);
  case Op::Min: return evaluateExtreme(node, data, scratch, false);
  case Op::Max: return evaluateExtreme(node, data, scratch, true);
  case Op::Cat: return evaluateCat(node, data, scratch);
  case Op::Substr: return evaluateSubstr(node, data, scratch);
  case Op::In: return boolean(evaluateIn(node, data));
  case Op::Merge: return evaluateMerge(node, data, scratch);
  }
  return kNull;
}

} // namespace opflow::logic
