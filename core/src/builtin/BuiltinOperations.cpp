// The shipped definitions: those declared in C++ with OperationBuilder, and the JSON
// files of resources/operations/ embedded at build time. Both end up as the same model
// and pass the same validation when loaded into a catalog.
#include "opflow/builtin/Builtin.h"

#include "opflow/model/DefinitionJson.h"
#include "opflow/model/OperationBuilder.h"
#include "opflow/resources/EmbeddedOperations.h"

#include <fmt/format.h>

namespace opflow::builtin {

namespace {

using namespace opflow::model;

OperationDefinition notifyOperation() {
  return OperationBuilder("demo.notify", 1)
      .title("Notify a customer")
      .description("Sends the customer a message on the chosen channel.")
      .roles({"operator", "supervisor"})
      .input("customer", InputType::String, {.required = true})
      .input("channel", InputType::String, {.defaultValue = "email", .allowed = {"email", "sms", "none"}})
      .input("message", InputType::String, {.required = true})
      .startsWith("channel?")
      .decision("channel?", {.condition = Json{{"==", {Json{{"var", "channel"}}, "none"}}},
                             .ifTrue = "no_channel",
                             .ifFalse = "send"})
      .titled("Can the customer be reached?")
      .action("send", {.handler = "demo.send_message",
                       .with = {{"customer", {{"var", "customer"}}}, {"message", {{"var", "message"}}}},
                       .goTo = "sent"})
      .titled("Send the message")
      .result("sent", {.expressions = {{"delivered", {{"var", "delivered"}}}, {"channel", {{"var", "channel"}}}}})
      .fail("no_channel", {.reason = "the customer has no channel to be reached on"})
      .build();
}

} // namespace

Result<std::vector<OperationDefinition>> definitions() {
  std::vector<OperationDefinition> result = {notifyOperation()};
  std::vector<Problem> problems;
  for (const resources::EmbeddedFile& file : resources::embeddedOperations()) {
    auto parsed = definitionFromText(file.text);
    if (!parsed) {
      for (const Problem& problem : parsed.error().problems) {
        problems.push_back({fmt::format("{}:{}", file.name, problem.pointer), problem.message});
      }
      continue;
    }
    result.push_back(std::move(parsed).value());
  }
  if (!problems.empty()) {
    return makeError(ErrorCode::InvalidDefinition, "a shipped definition does not parse", std::move(problems));
  }
  return result;
}

Status loadDefinitions(engine::OperationCatalog& catalog) {
  auto all = definitions();
  if (!all) {
    return all.error();
  }
  return catalog.addAll(std::move(all).value());
}

} // namespace opflow::builtin
