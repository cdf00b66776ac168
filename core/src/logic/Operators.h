// The JsonLogic operators this engine knows: their names, the enum compiled nodes store,
// and the argument counts compile() enforces. One table serves compile() and describe(),
// so the two never disagree about which operators exist.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace opflow::logic {

enum class Op : std::uint8_t {
  Literal, // not an operator: a constant value
  Array,   // not an operator: an array holding at least one operation
  Var,
  Missing,
  MissingSome,
  Equal,
  NotEqual,
  StrictEqual,
  StrictNotEqual,
  Less,
  LessEqual,
  Greater,
  GreaterEqual,
  And,
  Or,
  Not,
  NotNot,
  If,
  Add,
  Subtract,
  Multiply,
  Divide,
  Modulo,
  Min,
  Max,
  Cat,
  Substr,
  In,
  Merge,
};

inline constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

struct OperatorInfo {
  std::string_view name;
  Op op;
  std::size_t minArgs;
  std::size_t maxArgs; // kUnbounded for variadic operators
};

// The operator called `name`, or nullptr when there is none.
[[nodiscard]] const OperatorInfo* findOperator(std::string_view name);

[[nodiscard]] bool acceptsArgumentCount(const OperatorInfo& info, std::size_t count);

// `operator "<" takes 2 or 3 arguments, got 1`
[[nodiscard]] std::string argumentCountMessage(const OperatorInfo& info, std::size_t count);

} // namespace opflow::logic
