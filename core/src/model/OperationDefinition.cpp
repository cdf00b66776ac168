#include "opflow/model/OperationDefinition.h"

#include <algorithm>

namespace opflow::model {

const Node* OperationDefinition::findNode(const std::string& nodeName) const {
  auto found = std::find_if(nodes.begin(), nodes.end(), [&](const Node& node) { return node.name == nodeName; });
  return found == nodes.end() ? nullptr : &*found;
}

const InputSpec* OperationDefinition::findInput(const std::string& inputName) const {
  auto found = std::find_if(inputs.begin(), inputs.end(), [&](const InputSpec& in) { return in.name == inputName; });
  return found == inputs.end() ? nullptr : &*found;
}

} // namespace opflow::model
