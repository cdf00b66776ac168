// describe(): a rule as short infix text for flowchart labels. Each sub-rule becomes a
// Label (text plus precedence), and a parent adds parentheses only where a child binds
// more loosely than itself. It reads the raw rule, not a compiled tree, so it also works
// on rules that do not compile: any shape it does not understand (unknown operator,
// wrong argument count, multi-key object) is shown as compact JSON.
#include "opflow/logic/Expression.h"

#include "logic/Operators.h"

#include <string_view>
#include <vector>

namespace opflow::logic {
namespace {

constexpr int kTernary = 0;
constexpr int kOr = 1;
constexpr int kAnd = 2;
constexpr int kNot = 3;
constexpr int kCompare = 4;
constexpr int kAdditive = 5;
constexpr int kMultiplicative = 6;
constexpr int kUnary = 7;
constexpr int kAtom = 8;

struct Label {
  std::string text;
  int precedence = kAtom;
  Op op = Op::Literal;
};

std::string compactJson(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

Label atom(std::string text) { return Label{std::move(text), kAtom, Op::Literal}; }

Label describeRule(const Json& rule);

std::vector<Label> describeAll(const std::vector<const Json*>& values) {
  std::vector<Label> labels;
  labels.reserve(values.size());
  for (const Json* value : values) {
    labels.push_back(describeRule(*value));
  }
  return labels;
}

std::string parenthesized(const Label& label, bool wrap) { return wrap ? "(" + label.text + ")" : label.text; }

// a + b + c; a child binding as tightly as the parent keeps its parentheses unless it
// is the same associative operator ("a and b and c", but "(a - b) - c", "(a < b) == c").
Label infix(const std::vector<Label>& operands, std::string_view symbol, int precedence, Op op, bool associative) {
  Label label{"", precedence, op};
  for (std::size_t index = 0; index < operands.size(); ++index) {
    const Label& operand = operands[index];
    if (index > 0) {
      label.text += ' ';
      label.text += symbol;
      label.text += ' ';
    }
    const bool wrap = operand.precedence < precedence ||
                      (operand.precedence == precedence && !(associative && operand.op == op));
    label.text += parenthesized(operand, wrap);
  }
  return label;
}

Label prefix(std::string_view symbol, const Label& operand, int precedence, Op op) {
  return Label{std::string(symbol) + parenthesized(operand, operand.precedence < kUnary), precedence, op};
}

// "open a, b, c close" as an atom: function calls and arrays.
Label enclosed(std::string_view open, const std::vector<Label>& items, std::string_view close) {
  std::string text(open);
  for (std::size_t index = 0; index < items.size(); ++index) {
    if (index > 0) {
      text += ", ";
    }
    text += items[index].text;
  }
  text += close;
  return atom(std::move(text));
}

Label call(std::string_view name, const std::vector<Label>& arguments) {
  return enclosed(std::string(name) + "(", arguments, ")");
}

// A data key as written in var / missing: bare, not quoted.
Label keyLabel(const Json& key) {
  if (key.is_null() || (key.is_string() && key.get_ref<const std::string&>().empty())) {
    return atom("data");
  }
  if (key.is_string()) {
    return atom(key.get<std::string>());
  }
  if (key.is_number()) {
    return atom(compactJson(key));
  }
  return call("var", {describeRule(key)});
}

std::vector<Label> keyLabels(const Json& keys) {
  std::vector<Label> labels;
  if (!keys.is_array()) {
    labels.push_back(keyLabel(keys));
    return labels;
  }
  for (const Json& key : keys) {
    labels.push_back(keyLabel(key));
  }
  return labels;
}

// c1 ? v1 : c2 ? v2 : otherwise
Label ternary(const std::vector<Label>& arguments) {
  if (arguments.size() == 1) {
    return arguments[0];
  }
  Label label{"", kTernary, Op::If};
  std::size_t index = 0;
  for (; index + 1 < arguments.size(); index += 2) {
    label.text += parenthesized(arguments[index], arguments[index].precedence <= kTernary);
    label.text += " ? ";
    label.text += parenthesized(arguments[index + 1], arguments[index + 1].precedence <= kTernary);
    label.text += " : ";
  }
  label.text += index < arguments.size() ? arguments[index].text : "null";
  return label;
}

Label describeOperation(const OperatorInfo& info, const std::vector<const Json*>& values) {
  const std::vector<Label> arguments = info.op == Op::Var || info.op == Op::Missing ? std::vector<Label>{}
                                                                                   : describeAll(values);
  switch (info.op) {
  case Op::Var:
    if (values.empty()) {
      return atom("data");
    }
    return values[0]->is_number() ? call("var", {keyLabel(*values[0])}) : keyLabel(*values[0]);
  case Op::Missing: {
    if (!values.empty() && values[0]->is_array()) {
      return call("missing", keyLabels(*values[0]));
    }
    std::vector<Label> keys;
    keys.reserve(values.size());
    for (const Json* value : values) {
      keys.push_back(value->is_object() ? describeRule(*value) : keyLabel(*value));
    }
    return call("missing", keys);
  }
  case Op::MissingSome: {
    std::vector<Label> parts{arguments[0]};
    if (values[1]->is_object()) {
      parts.push_back(arguments[1]);
    } else {
      for (Label& key : keyLabels(*values[1])) {
        parts.push_back(std::move(key));
      }
    }
    return call("missing_some", parts);
  }
  case Op::Equal: return infix(arguments, "==", kCompare, info.op, false);
  case Op::NotEqual: return infix(arguments, "!=", kCompare, info.op, false);
  case Op::StrictEqual: return infix(arguments, "===", kCompare, info.op, false);
  case Op::StrictNotEqual: return infix(arguments, "!==", kCompare, info.op, false);
  case Op::Less: return infix(arguments, "<", kCompare, info.op, false);
  case Op::LessEqual: return infix(arguments, "<=", kCompare, info.op, false);
  case Op::Greater: return infix(arguments, ">", kCompare, info.op, false);
  case Op::GreaterEqual: return infix(arguments, ">=", kCompare, info.op, false);
  case Op::In: return infix(arguments, "in", kCompare, info.op, false);
  case Op::And: return infix(arguments, "and", kAnd, info.op, true);
  case Op::Or: return infix(arguments, "or", kOr, info.op, true);
  case Op::Not: return Label{"not " + parenthesized(arguments[0], arguments[0].precedence < kUnary), kNot, info.op};
  case Op::NotNot: return call("truthy", arguments);
  case Op::If: return ternary(arguments);
  case Op::Add:
    return arguments.size() == 1 ? prefix("+", arguments[0], kUnary, info.op)
                                 : infix(arguments, "+", kAdditive, info.op, true);
  case Op::Subtract:
    return arguments.size() == 1 ? prefix("-", arguments[0], kUnary, info.op)
                                 : infix(arguments, "-", kAdditive, info.op, false);
  case Op::Multiply: return infix(arguments, "*", kMultiplicative, info.op, true);
  case Op::Divide: return infix(arguments, "/", kMultiplicative, info.op, false);
  case Op::Modulo: return infix(arguments, "%", kMultiplicative, info.op, false);
  default: return call(info.name, arguments); // min, max, cat, substr, merge
  }
}

Label describeRule(const Json& rule) {
  if (rule.is_array()) {
    std::vector<const Json*> elements;
    for (const Json& element : rule) {
      elements.push_back(&element);
    }
    return enclosed("[", describeAll(elements), "]");
  }
  if (!rule.is_object() || rule.size() != 1) {
    return atom(compactJson(rule));
  }
  const OperatorInfo* info = findOperator(rule.begin().key());
  const Json& arguments = rule.begin().value();
  std::vector<const Json*> values;
  if (arguments.is_array()) {
    for (const Json& argument : arguments) {
      values.push_back(&argument);
    }
  } else {
    values.push_back(&arguments);
  }
  // Variadic operators with nothing to join read better as JSON: {"and": []}, {"+": []}.
  const bool empty = values.empty() && info != nullptr && info->op != Op::Var && info->op != Op::Missing;
  if (info == nullptr || !acceptsArgumentCount(*info, values.size()) || empty) {
    return atom(compactJson(rule));
  }
  return describeOperation(*info, values);
}

} // namespace

std::string describe(const Json& rule) {
  try {
    return describeRule(rule).text;
  } catch (...) {
    return {};
  }
}

} // namespace opflow::logic
