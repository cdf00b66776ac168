// The operator table: a fixed array searched linearly. It is consulted only while
// compiling or describing a rule, never while evaluating, so a map would buy nothing.
#include "logic/Operators.h"

#include <array>

namespace opflow::logic {
namespace {

constexpr std::array<OperatorInfo, 28> kOperators{{
    {"var", Op::Var, 0, 2},
    {"missing", Op::Missing, 0, kUnbounded},
    {"missing_some", Op::MissingSome, 2, 2},
    {"==", Op::Equal, 2, 2},
    {"!=", Op::NotEqual, 2, 2},
    {"===", Op::StrictEqual, 2, 2},
    {"!==", Op::StrictNotEqual, 2, 2},
    {"<", Op::Less, 2, 3},
    {"<=", Op::LessEqual, 2, 3},
    {">", Op::Greater, 2, 2},
    {">=", Op::GreaterEqual, 2, 2},
    {"and", Op::And, 0, kUnbounded},
    {"or", Op::Or, 0, kUnbounded},
    {"!", Op::Not, 1, 1},
    {"!!", Op::NotNot, 1, 1},
    {"if", Op::If, 0, kUnbounded},
    {"?:", Op::If, 0, kUnbounded},
    {"+", Op::Add, 0, kUnbounded},
    {"-", Op::Subtract, 1, 2},
    {"*", Op::Multiply, 1, kUnbounded},
    {"/", Op::Divide, 2, 2},
    {"%", Op::Modulo, 2, 2},
    {"min", Op::Min, 0, kUnbounded},
    {"max", Op::Max, 0, kUnbounded},
    {"cat", Op::Cat, 0, kUnbounded},
    {"substr", Op::Substr, 2, 3},
    {"in", Op::In, 2, 2},
    {"merge", Op::Merge, 0, kUnbounded},
}};

std::string plural(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " argument" : " arguments");
}

} // namespace

const OperatorInfo* findOperator(std::string_view name) {
  for (const OperatorInfo& info : kOperators) {
    if (info.name == name) {
      return &info;
    }
  }
  return nullptr;
}

bool acceptsArgumentCount(const OperatorInfo& info, std::size_t count) {
  return count >= info.minArgs && count <= info.maxArgs;
}

std::string argumentCountMessage(const OperatorInfo& info, std::size_t count) {
  std::string expected;
  if (info.minArgs == info.maxArgs) {
    expected = plural(info.minArgs);
  } else if (info.maxArgs == kUnbounded) {
    expected = "at least " + plural(info.minArgs);
  } else if (info.maxArgs == info.minArgs + 1) {
    expected = std::to_string(info.minArgs) + " or " + plural(info.maxArgs);
  } else if (info.minArgs == 0) {
    expected = "at most " + plural(info.maxArgs);
  } else {
    expected = std::to_string(info.minArgs) + " to " + plural(info.maxArgs);
  }
  return "operator \"" + std::string(info.name) + "\" takes " + expected + ", got " + std::to_string(count);
}

} // namespace opflow::logic
