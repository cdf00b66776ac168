// Reads and writes the JSON form of an operation definition.
//
// The reader walks the document once, checking each key against the keys its node kind
// allows and each value against the type it needs, and records every problem with its
// JSON pointer instead of stopping at the first; a definition with any problem is
// refused whole. Expressions are kept as written (their operators are checked by
// DefinitionValidator), converted from the author's key order to sorted keys.
#include "opflow/model/DefinitionJson.h"

#include "opflow/JsonBounds.h"

#include <fmt/format.h>

#include <set>

namespace opflow::model {

namespace {

std::string child(const std::string& pointer, const std::string& key) { return pointer + "/" + pointerToken(key); }

class DefinitionReader {
public:
  std::vector<Problem> problems;

  void problem(std::string pointer, std::string message) { problems.push_back({std::move(pointer), std::move(message)}); }

  void checkKeys(const OrderedJson& object, const std::string& pointer, const std::set<std::string>& allowed,
                 const std::string& what) {
    for (const auto& [key, value] : object.items()) {
      if (!allowed.contains(key)) {
        problem(child(pointer, key), fmt::format("unknown key \"{}\" for {}", key, what));
      }
    }
  }

  std::string text(const OrderedJson& object, const std::string& pointer, const std::string& key, bool required = false) {
    auto found = object.find(key);
    if (found == object.end()) {
      if (required) {
        problem(child(pointer, key), "is required");
      }
      return {};
    }
    if (!found->is_string()) {
      problem(child(pointer, key), fmt::format("must be a string, not {}", found->type_name()));
      return {};
    }
    return found->get<std::string>();
  }

  std::optional<double> number(const OrderedJson& object, const std::string& pointer, const std::string& key) {
    auto found = object.find(key);
    if (found == object.end()) {
      return std::nullopt;
    }
    if (!found->is_number()) {
      problem(child(pointer, key), fmt::format("must be a number, not {}", found->type_name()));
      return std::nullopt;
    }
    return found->get<double>();
  }

  bool flag(const OrderedJson& object, const std::string& pointer, const std::string& key) {
    auto found = object.find(key);
    if (found == object.end()) {
      return false;
    }
    if (!found->is_boolean()) {
      problem(child(pointer, key), fmt::format("must be true or false, not {}", found->type_name()));
      return false;
    }
    return found->get<bool>();
  }

  const OrderedJson* objectAt(const OrderedJson& object, const std::string& pointer, const std::string& key) {
    auto found = object.find(key);
    if (found == object.end()) {
      return nullptr;
    }
    if (!found->is_object()) {
      problem(child(pointer, key), fmt::format("must be an object, not {}", found->type_name()));
      return nullptr;
    }
    return &*found;
  }

  Assignments assignments(const OrderedJson& object, const std::string& pointer, const std::string& key) {
    Assignments result;
    if (const OrderedJson* map = objectAt(object, pointer, key)) {
      for (const auto& [field, expression] : map->items()) {
        result.emplace_back(field, Json(expression));
      }
    }
    return result;
  }

  std::vector<std::string> strings(const OrderedJson& object, const std::string& pointer, const std::string& key) {
    std::vector<std::string> result;
    auto found = object.find(key);
    if (found == object.end()) {
      return result;
    }
    if (!found->is_array()) {
      problem(child(pointer, key), fmt::format("must be an array of strings, not {}", found->type_name()));
      return result;
    }
    for (std::size_t i = 0; i < found->size(); ++i) {
      const OrderedJson& item = (*found)[i];
      if (!item.is_string()) {
        problem(child(pointer, key) + "/" + std::to_string(i), "must be a string");
      } else {
        result.push_back(item.get<std::string>());
      }
    }
    return result;
  }

  InputSpec input(const std::string& name, const OrderedJson& json, const std::string& pointer) {
    InputSpec spec;
    spec.name = name;
    if (!json.is_object()) {
      problem(pointer, "an input declaration must be an object");
      return spec;
    }
    checkKeys(json, pointer, {"type", "required", "default", "enum", "min", "max", "description"}, "an input");
    std::string typeName = text(json, pointer, "type", true);
    if (!typeName.empty()) {
      if (auto type = inputTypeFromString(typeName)) {
        spec.type = *type;
      } else {
        problem(child(pointer, "type"),
                fmt::format("unknown type \"{}\" (use string, integer, number, boolean, object or array)", typeName));
      }
    }
    spec.required = flag(json, pointer, "required");
    if (auto found = json.find("default"); found != json.end()) {
      spec.defaultValue = Json(*found);
    }
    if (auto found = json.find("enum"); found != json.end()) {
      if (!found->is_array()) {
        problem(child(pointer, "enum"), "must be an array of allowed values");
      } else {
        for (const auto& value : *found) {
          spec.allowed.emplace_back(value);
        }
      }
    }
    spec.min = number(json, pointer, "min");
    spec.max = number(json, pointer, "max");
    spec.description = text(json, pointer, "description");
    return spec;
  }

  DecisionNode decision(const OrderedJson& json, const std::string& pointer) {
    checkKeys(json, pointer, {"kind", "title", "condition", "if_true", "if_false", "cases", "otherwise"}, "a decision node");
    DecisionNode node;
    if (auto found = json.find("condition"); found != json.end()) {
      node.condition = Json(*found);
    }
    node.ifTrue = text(json, pointer, "if_true");
    node.ifFalse = text(json, pointer, "if_false");
    node.otherwise = text(json, pointer, "otherwise");
    if (auto found = json.find("cases"); found != json.end()) {
      if (!found->is_array()) {
        problem(child(pointer, "cases"), "must be an array of {\"when\", \"go_to\"} objects");
      } else {
        for (std::size_t i = 0; i < found->size(); ++i) {
          const OrderedJson& item = (*found)[i];
          std::string itemPointer = child(pointer, "cases") + "/" + std::to_string(i);
          if (!item.is_object()) {
            problem(itemPointer, "a case must be an object with \"when\" and \"go_to\"");
            continue;
          }
          checkKeys(item, itemPointer, {"when", "go_to"}, "a case");
          DecisionCase decisionCase;
          if (auto when = item.find("when"); when != item.end()) {
            decisionCase.when = Json(*when);
          } else {
            problem(child(itemPointer, "when"), "is required");
          }
          decisionCase.goTo = text(item, itemPointer, "go_to", true);
          node.cases.push_back(std::move(decisionCase));
        }
      }
    }
    return node;
  }

  ActionNode action(const OrderedJson& json, const std::string& pointer) {
    checkKeys(json, pointer, {"kind", "title", "handler", "with", "set", "go_to", "exits"}, "an action node");
    ActionNode node;
    node.handler = text(json, pointer, "handler");
    if (const OrderedJson* with = objectAt(json, pointer, "with")) {
      node.with = Json(*with);
    }
    node.set = assignments(json, pointer, "set");
    node.goTo = text(json, pointer, "go_to");
    if (const OrderedJson* exits = objectAt(json, pointer, "exits")) {
      for (const auto& [name, target] : exits->items()) {
        if (!target.is_string()) {
          problem(child(child(pointer, "exits"), name), "must name the node this exit goes to");
        } else {
          node.exits.push_back(ActionExit{name, target.get<std::string>()});
        }
      }
    }
    return node;
  }

  CallNode call(const OrderedJson& json, const std::string& pointer) {
    checkKeys(json, pointer, {"kind", "title", "operation", "inputs", "save_as", "on_success", "on_failure"}, "a call node");
    CallNode node;
    node.operation = text(json, pointer, "operation", true);
    node.inputs = assignments(json, pointer, "inputs");
    node.saveAs = text(json, pointer, "save_as");
    node.onSuccess = text(json, pointer, "on_success");
    node.onFailure = text(json, pointer, "on_failure");
    return node;
  }

  WaitNode wait(const OrderedJson& json, const std::string& pointer) {
    checkKeys(json, pointer,
              {"kind", "title", "signal", "save_as", "go_to", "timer_s", "timeout_s", "on_timeout", "deadline_as"},
              "a wait node");
    WaitNode node;
    node.signal = text(json, pointer, "signal");
    node.saveAs = text(json, pointer, "save_as");
    node.goTo = text(json, pointer, "go_to");
    node.timerS = number(json, pointer, "timer_s");
    node.timeoutS = number(json, pointer, "timeout_s");
    node.onTimeout = text(json, pointer, "on_timeout");
    node.deadlineAs = text(json, pointer, "deadline_as");
    return node;
  }

  ResultNode result(const OrderedJson& json, const std::string& pointer) {
    checkKeys(json, pointer, {"kind", "title", "outputs"}, "a result node");
    ResultNode node;
    auto found = json.find("outputs");
    if (found == json.end()) {
      return node;
    }
    if (found->is_array()) {
      node.fields = strings(json, pointer, "outputs");
    } else if (found->is_object()) {
      node.expressions = assignments(json, pointer, "outputs");
    } else {
      problem(child(pointer, "outputs"), "must be a list of fields or an object of field: expression");
    }
    return node;
  }

  FailNode failure(const OrderedJson& json, const std::string& pointer) {
    checkKeys(json, pointer, {"kind", "title", "reason"}, "a fail node");
    FailNode node;
    if (auto found = json.find("reason"); found != json.end()) {
      node.reason = Json(*found);
    } else {
      problem(child(pointer, "reason"), "is required: say why the operation fails");
    }
    return node;
  }

  std::optional<Node> node(const std::string& name, const OrderedJson& json, const std::string& pointer) {
    if (!json.is_object()) {
      problem(pointer, "a node must be an object with a \"kind\"");
      return std::nullopt;
    }
    std::string kindName = text(json, pointer, "kind", true);
    if (auto found = json.find("kind"); found == json.end() || !found->is_string()) {
      return std::nullopt; // reported by text()
    }
    auto kind = nodeKindFromString(kindName);
    if (!kind) {
      problem(child(pointer, "kind"),
              fmt::format("unknown kind \"{}\" (use decision, action, call, wait, result or fail)", kindName));
      return std::nullopt;
    }
    Node node{name, text(json, pointer, "title"), {}};
    switch (*kind) {
    case NodeKind::Decision: node.spec = decision(json, pointer); break;
    case NodeKind::Action: node.spec = action(json, pointer); break;
    case NodeKind::Call: node.spec = call(json, pointer); break;
    case NodeKind::Wait: node.spec = wait(json, pointer); break;
    case NodeKind::Result: node.spec = result(json, pointer); break;
    case NodeKind::Fail: node.spec = failure(json, pointer); break;
    }
    return node;
  }

  OperationDefinition definition(const OrderedJson& document) {
    OperationDefinition definition;
    if (!document.is_object()) {
      problem("", "an operation definition must be a JSON object");
      return definition;
    }
    checkKeys(document, "", {"operation", "version", "title", "description", "roles", "inputs", "starts_with", "nodes"},
              "an operation");
    definition.name = text(document, "", "operation", true);
    if (auto found = document.find("version"); found == document.end()) {
      problem("/version", "is required (a whole number, 1 or more)");
    } else if (!found->is_number_integer()) {
      problem("/version", fmt::format("must be a whole number, not {}", found->dump()));
    } else {
      definition.version = found->get<std::int64_t>();
    }
    definition.title = text(document, "", "title");
    definition.description = text(document, "", "description");
    definition.roles = strings(document, "", "roles");
    if (const OrderedJson* inputs = objectAt(document, "", "inputs")) {
      for (const auto& [name, declaration] : inputs->items()) {
        definition.inputs.push_back(input(name, declaration, child("/inputs", name)));
      }
    }
    definition.startsWith = text(document, "", "starts_with");
    if (const OrderedJson* nodes = objectAt(document, "", "nodes")) {
      for (const auto& [name, json] : nodes->items()) {
        if (auto parsed = node(name, json, child("/nodes", name))) {
          definition.nodes.push_back(std::move(*parsed));
        }
      }
    } else if (!document.contains("nodes")) {
      problem("/nodes", "is required: the operation has no nodes");
    }
    return definition;
  }
};

OrderedJson assignmentsToJson(const Assignments& assignments) {
  OrderedJson object = OrderedJson::object();
  for (const auto& [field, expression] : assignments) {
    object[field] = OrderedJson(expression);
  }
  return object;
}

void putText(OrderedJson& object, const char* key, const std::string& value) {
  if (!value.empty()) {
    object[key] = value;
  }
}

OrderedJson nodeToJson(const Node& node) {
  OrderedJson json = OrderedJson::object();
  json["kind"] = toString(node.kind());
  putText(json, "title", node.title);
  if (const auto* decision = std::get_if<DecisionNode>(&node.spec)) {
    if (decision->condition) {
      json["condition"] = OrderedJson(*decision->condition);
    }
    putText(json, "if_true", decision->ifTrue);
    putText(json, "if_false", decision->ifFalse);
    if (!decision->cases.empty()) {
      OrderedJson cases = OrderedJson::array();
      for (const DecisionCase& decisionCase : decision->cases) {
        cases.push_back(OrderedJson{{"when", OrderedJson(decisionCase.when)}, {"go_to", decisionCase.goTo}});
      }
      json["cases"] = std::move(cases);
    }
    putText(json, "otherwise", decision->otherwise);
  } else if (const auto* action = std::get_if<ActionNode>(&node.spec)) {
    putText(json, "handler", action->handler);
    if (!action->with.empty()) {
      json["with"] = OrderedJson(action->with);
    }
    if (!action->set.empty()) {
      json["set"] = assignmentsToJson(action->set);
    }
    putText(json, "go_to", action->goTo);
    if (!action->exits.empty()) {
      OrderedJson exits = OrderedJson::object();
      for (const ActionExit& exit : action->exits) {
        exits[exit.name] = exit.goTo;
      }
      json["exits"] = std::move(exits);
    }
  } else if (const auto* call = std::get_if<CallNode>(&node.spec)) {
    json["operation"] = call->operation;
    if (!call->inputs.empty()) {
      json["inputs"] = assignmentsToJson(call->inputs);
    }
    putText(json, "save_as", call->saveAs);
    putText(json, "on_success", call->onSuccess);
    putText(json, "on_failure", call->onFailure);
  } else if (const auto* wait = std::get_if<WaitNode>(&node.spec)) {
    putText(json, "signal", wait->signal);
    putText(json, "save_as", wait->saveAs);
    putText(json, "go_to", wait->goTo);
    if (wait->timerS) {
      json["timer_s"] = *wait->timerS;
    }
    if (wait->timeoutS) {
      json["timeout_s"] = *wait->timeoutS;
    }
    putText(json, "on_timeout", wait->onTimeout);
    putText(json, "deadline_as", wait->deadlineAs);
  } else if (const auto* result = std::get_if<ResultNode>(&node.spec)) {
    if (!result->expressions.empty()) {
      json["outputs"] = assignmentsToJson(result->expressions);
    } else {
      json["outputs"] = result->fields;
    }
  } else if (const auto* fail = std::get_if<FailNode>(&node.spec)) {
    json["reason"] = OrderedJson(fail->reason);
  }
  return json;
}

} // namespace

Result<OperationDefinition> definitionFromJson(const OrderedJson& document) {
  DefinitionReader reader;
  OperationDefinition definition = reader.definition(document);
  if (!reader.problems.empty()) {
    std::string name = definition.name.empty() ? std::string("operation") : "operation \"" + definition.name + "\"";
    // The message is formatted before the problems are moved: argument order is unspecified.
    std::string message = fmt::format("{} has {} problem(s)", name, reader.problems.size());
    return makeError(ErrorCode::InvalidDefinition, std::move(message), std::move(reader.problems));
  }
  return definition;
}

Result<OperationDefinition> definitionFromText(std::string_view text) {
  auto document = parseOrderedJson(text, kDefinitionLimits);
  if (!document) {
    const bool malformed = document.error().code == ErrorCode::InvalidArgument;
    return makeError(ErrorCode::InvalidDefinition, malformed ? "not valid JSON" : "refused at the limits of a definition",
                     {Problem{"", document.error().message}});
  }
  return definitionFromJson(*document);
}

OrderedJson definitionToJson(const OperationDefinition& definition) {
  OrderedJson json = OrderedJson::object();
  json["operation"] = definition.name;
  json["version"] = definition.version;
  putText(json, "title", definition.title);
  putText(json, "description", definition.description);
  if (!definition.roles.empty()) {
    json["roles"] = definition.roles;
  }
  if (!definition.inputs.empty()) {
    OrderedJson inputs = OrderedJson::object();
    for (const InputSpec& spec : definition.inputs) {
      OrderedJson declaration = OrderedJson::object();
      declaration["type"] = toString(spec.type);
      if (spec.required) {
        declaration["required"] = true;
      }
      if (spec.defaultValue) {
        declaration["default"] = OrderedJson(*spec.defaultValue);
      }
      if (!spec.allowed.empty()) {
        OrderedJson allowed = OrderedJson::array();
        for (const Json& value : spec.allowed) {
          allowed.push_back(OrderedJson(value));
        }
        declaration["enum"] = std::move(allowed);
      }
      if (spec.min) {
        declaration["min"] = *spec.min;
      }
      if (spec.max) {
        declaration["max"] = *spec.max;
      }
      putText(declaration, "description", spec.description);
      inputs[spec.name] = std::move(declaration);
    }
    json["inputs"] = std::move(inputs);
  }
  putText(json, "starts_with", definition.startsWith);
  OrderedJson nodes = OrderedJson::object();
  for (const Node& node : definition.nodes) {
    nodes[node.name] = nodeToJson(node);
  }
  json["nodes"] = std::move(nodes);
  return json;
}

} // namespace opflow::model
