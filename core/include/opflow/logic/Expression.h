// A JsonLogic expression compiled once and evaluated many times.
//
// compile() checks the rule and turns it into a small tree of typed nodes (operator
// enum, pre-split `var` paths, literal values), so evaluation does no string matching
// of operator names. Supported operators (jsonlogic.com semantics):
//   var (dot paths, numeric array indexes, default), missing, missing_some,
//   == != === !== < <= > >= (and the 3-argument "between" forms of < and <=),
//   and or ! !! if (also "?:"), + - * / % min max, cat substr in, merge.
// An unknown operator is a compile error naming its JSON pointer within the rule.
// Thread-safety: a compiled Expression is immutable; evaluate() may run concurrently.
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"

#include <memory>
#include <string>

namespace opflow::logic {

class ExpressionNode;

class Expression {
public:
  Expression();
  ~Expression();
  Expression(const Expression&);
  Expression& operator=(const Expression&);
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;

  // Compiles `rule`. On failure the Error lists every problem; each Problem's pointer is
  // relative to the rule (e.g. "/and/1/frobnicate") and is prefixed with `pointerPrefix`.
  [[nodiscard]] static Result<Expression> compile(const Json& rule, const std::string& pointerPrefix = "");

  // Evaluates against `data` (the run's data object). Never throws: type mismatches
  // follow JsonLogic's coercion rules (e.g. "1" == 1, null + 1 == 1, x / 0 == null).
  [[nodiscard]] Json evaluate(const Json& data) const;

  // JsonLogic truthiness of the result: false, null, 0, "", [] are false.
  [[nodiscard]] bool test(const Json& data) const;

  // The rule as it was written.
  [[nodiscard]] const Json& rule() const { return m_rule; }

private:
  Json m_rule;
  std::shared_ptr<const ExpressionNode> m_root;
};

// JsonLogic truthiness of a value.
[[nodiscard]] bool truthy(const Json& value);

// A short human-readable form of a rule for flowchart labels and the console:
// {"<": [{"var": "amount"}, 100]} -> "amount < 100";
// {"and": [{"var":"rush"}, {">": [{"var":"qty"}, 10]}]} -> "rush and qty > 10";
// {"in": ["pdf", {"var":"ext"}]} -> "\"pdf\" in ext". Unknown shapes fall back to compact JSON.
[[nodiscard]] std::string describe(const Json& rule);

} // namespace opflow::logic
