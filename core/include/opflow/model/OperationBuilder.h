// OperationBuilder: declares an operation in C++ so that it reads like the flowchart.
//
//   auto definition = OperationBuilder("document.prepare_download", 2)
//       .title("Prepare a download")
//       .roles({"operator", "supervisor"})
//       .input("scramble", InputType::Boolean, {.required = true})
//       .input("ext", InputType::String, {.defaultValue = "pdf", .allowed = {"pdf", "dwg"}})
//       .startsWith("scramble?")
//       .decision("scramble?", {.condition = Json{{"var", "scramble"}},
//                               .ifTrue = "scrambled", .ifFalse = "original"})
//       .action("scrambled", {.set = {{"filename", ...}}, .goTo = "done"})
//       .result("done", {.fields = {"filename"}})
//       .build();
//
// The builder only assembles the model; OperationCatalog validates it exactly as it
// validates a definition read from JSON.
// Thread-safety: none; build on one thread.
#pragma once

#include "opflow/model/OperationDefinition.h"

#include <initializer_list>

namespace opflow::model {

struct InputOptions {
  bool required = false;
  std::optional<Json> defaultValue;
  std::vector<Json> allowed;
  std::optional<double> min;
  std::optional<double> max;
  std::string description;
};

class OperationBuilder {
public:
  OperationBuilder(std::string name, std::int64_t version);

  OperationBuilder& title(std::string text);
  OperationBuilder& description(std::string text);
  OperationBuilder& roles(std::initializer_list<std::string> roleNames);
  OperationBuilder& input(std::string name, InputType type, InputOptions options = {});
  OperationBuilder& startsWith(std::string nodeName);

  OperationBuilder& decision(std::string name, DecisionNode node);
  OperationBuilder& action(std::string name, ActionNode node);
  OperationBuilder& call(std::string name, CallNode node);
  OperationBuilder& wait(std::string name, WaitNode node);
  OperationBuilder& result(std::string name, ResultNode node = {});
  OperationBuilder& fail(std::string name, FailNode node);

  // Sets the flowchart title of the node declared last.
  OperationBuilder& titled(std::string text);

  [[nodiscard]] OperationDefinition build() const;

private:
  OperationBuilder& addNode(std::string name, NodeSpec spec);

  OperationDefinition m_definition;
};

} // namespace opflow::model
