#include "opflow/model/OperationBuilder.h"

namespace opflow::model {

OperationBuilder::OperationBuilder(std::string name, std::int64_t version) {
  m_definition.name = std::move(name);
  m_definition.version = version;
}

OperationBuilder& OperationBuilder::title(std::string text) {
  m_definition.title = std::move(text);
  return *this;
}

OperationBuilder& OperationBuilder::description(std::string text) {
  m_definition.description = std::move(text);
  return *this;
}

OperationBuilder& OperationBuilder::roles(std::initializer_list<std::string> roleNames) {
  m_definition.roles.assign(roleNames.begin(), roleNames.end());
  return *this;
}

OperationBuilder& OperationBuilder::input(std::string name, InputType type, InputOptions options) {
  m_definition.inputs.push_back(InputSpec{std::move(name), type, options.required, std::move(options.defaultValue),
                                          std::move(options.allowed), options.min, options.max,
                                          std::move(options.description)});
  return *this;
}

OperationBuilder& OperationBuilder::startsWith(std::string nodeName) {
  m_definition.startsWith = std::move(nodeName);
  return *this;
}

OperationBuilder& OperationBuilder::addNode(std::string name, NodeSpec spec) {
  m_definition.nodes.push_back(Node{std::move(name), {}, std::move(spec)});
  return *this;
}

OperationBuilder& OperationBuilder::decision(std::string name, DecisionNode node) { return addNode(std::move(name), std::move(node)); }
OperationBuilder& OperationBuilder::action(std::string name, ActionNode node) { return addNode(std::move(name), std::move(node)); }
OperationBuilder& OperationBuilder::call(std::string name, CallNode node) { return addNode(std::move(name), std::move(node)); }
OperationBuilder& OperationBuilder::wait(std::string name, WaitNode node) { return addNode(std::move(name), std::move(node)); }
OperationBuilder& OperationBuilder::result(std::string name, ResultNode node) { return addNode(std::move(name), std::move(node)); }
OperationBuilder& OperationBuilder::fail(std::string name, FailNode node) { return addNode(std::move(name), std::move(node)); }

OperationBuilder& OperationBuilder::titled(std::string text) {
  if (!m_definition.nodes.empty()) {
    m_definition.nodes.back().title = std::move(text);
  }
  return *this;
}

OperationDefinition OperationBuilder::build() const { return m_definition; }

} // namespace opflow::model
