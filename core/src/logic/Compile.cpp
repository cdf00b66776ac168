// Rule -> node tree. The walk never stops at the first error: every unknown operator,
// malformed operation object and wrong argument count is reported with its JSON pointer.
// Arrays made only of constants fold into one literal, and constant var/missing keys are
// split into paths here so evaluation never parses them.
#include "logic/ExpressionNode.h"

#include <algorithm>

namespace opflow::logic {
namespace {

bool isLiteral(const ExpressionNode& node) { return node.op == Op::Literal; }

void setConstantKeys(ExpressionNode& node, Json keys) {
  for (const Json& key : keys) {
    node.paths.push_back(parsePath(key));
  }
  node.literal = std::move(keys);
  node.constantPaths = true;
}

// {"missing": ["a", "b"]} or {"missing": [["a", "b"]]} and {"missing_some": [1, ["a", "b"]]}
// with constant keys; keys computed at run time are handled by the evaluator.
void prepareKeys(ExpressionNode& node) {
  if (node.op == Op::Var) {
    if (node.children.empty()) {
      node.paths.push_back(parsePath(Json()));
      node.constantPaths = true;
    } else if (isLiteral(node.children[0])) {
      node.paths.push_back(parsePath(node.children[0].literal));
      node.constantPaths = true;
    }
  } else if (node.op == Op::Missing) {
    if (!std::all_of(node.children.begin(), node.children.end(), isLiteral)) {
      return;
    }
    if (!node.children.empty() && node.children[0].literal.is_array()) {
      setConstantKeys(node, node.children[0].literal);
      return;
    }
    Json keys = Json::array();
    for (const ExpressionNode& child : node.children) {
      keys.push_back(child.literal);
    }
    setConstantKeys(node, std::move(keys));
  } else if (node.op == Op::MissingSome && isLiteral(node.children[1])) {
    const Json& options = node.children[1].literal;
    Json keys = Json::array();
    if (options.is_array()) {
      keys = options;
    } else {
      keys.push_back(options);
    }
    setConstantKeys(node, std::move(keys));
  }
}

} // namespace

ExpressionNode compileNode(const Json& rule, const std::string& pointer, std::vector<Problem>& problems) {
  ExpressionNode node;
  if (rule.is_array()) {
    node.op = Op::Array;
    node.children.reserve(rule.size());
    for (std::size_t index = 0; index < rule.size(); ++index) {
      node.children.push_back(compileNode(rule[index], pointer + "/" + std::to_string(index), problems));
    }
    if (std::all_of(node.children.begin(), node.children.end(), isLiteral)) {
      node.op = Op::Literal;
      node.literal = rule;
      node.children.clear();
    }
    return node;
  }
  if (!rule.is_object()) {
    node.literal = rule;
    return node;
  }
  if (rule.size() != 1) {
    problems.push_back({pointer, "an operation object must have exactly one key"});
    return node;
  }
  const std::string& name = rule.begin().key();
  const Json& arguments = rule.begin().value();
  const std::string operationPointer = pointer + "/" + pointerToken(name);
  const OperatorInfo* info = findOperator(name);
  if (info == nullptr) {
    problems.push_back({operationPointer, "unknown operator \"" + name + "\""});
  }
  if (arguments.is_array()) {
    node.children.reserve(arguments.size());
    for (std::size_t index = 0; index < arguments.size(); ++index) {
      node.children.push_back(
          compileNode(arguments[index], operationPointer + "/" + std::to_string(index), problems));
    }
  } else {
    node.children.push_back(compileNode(arguments, operationPointer, problems));
  }
  if (info == nullptr) {
    return node;
  }
  if (!acceptsArgumentCount(*info, node.children.size())) {
    problems.push_back({operationPointer, argumentCountMessage(*info, node.children.size())});
    return node;
  }
  node.op = info->op;
  prepareKeys(node);
  return node;
}

} // namespace opflow::logic
