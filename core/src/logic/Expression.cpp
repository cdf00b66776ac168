// Expression: the public face of the JsonLogic engine. It owns the rule as written and
// a shared, immutable compiled tree (so copies are cheap and evaluation is thread-safe),
// and keeps exceptions from crossing the API.
#include "opflow/logic/Expression.h"

#include "logic/ExpressionNode.h"

namespace opflow::logic {

Expression::Expression() = default;
Expression::~Expression() = default;
Expression::Expression(const Expression&) = default;
Expression& Expression::operator=(const Expression&) = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;

Result<Expression> Expression::compile(const Json& rule, const std::string& pointerPrefix) {
  std::vector<Problem> problems;
  auto root = std::make_shared<const ExpressionNode>(compileNode(rule, pointerPrefix, problems));
  if (!problems.empty()) {
    return makeError(ErrorCode::InvalidDefinition, "invalid JsonLogic rule", std::move(problems));
  }
  Expression expression;
  expression.m_rule = rule;
  expression.m_root = std::move(root);
  return expression;
}

Json Expression::evaluate(const Json& data) const {
  if (!m_root) {
    return nullptr;
  }
  try {
    Json scratch;
    const Json& result = evaluateNode(*m_root, data, scratch);
    if (&result == &scratch) {
      return scratch;
    }
    return result;
  } catch (...) {
    return nullptr;
  }
}

bool Expression::test(const Json& data) const {
  if (!m_root) {
    return false;
  }
  try {
    Json scratch;
    return truthy(evaluateNode(*m_root, data, scratch));
  } catch (...) {
    return false;
  }
}

} // namespace opflow::logic
