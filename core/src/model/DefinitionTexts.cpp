#include "opflow/model/DefinitionTexts.h"

#include "opflow/Json.h"
#include "opflow/Text.h"

#include <fmt/format.h>

#include <variant>

namespace opflow::model {

namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxDescription = 4096;

void check(std::vector<Problem>& problems, const std::string& pointer, const std::string& value, bool lines,
           std::size_t most) {
  if (auto fault = textFault(value, lines)) {
    problems.push_back({pointer, fmt::format("holds a {} (at byte {})", fault->what, fault->offset)});
  } else if (const std::size_t length = codePointCount(value); length > most) {
    problems.push_back({pointer, fmt::format("has {} characters, over the limit of {}", length, most)});
  }
}

} // namespace

std::vector<Problem> textProblems(const OperationDefinition& definition) {
  std::vector<Problem> problems;
  check(problems, "/operation", definition.name, false, kMaxName);
  check(problems, "/title", definition.title, false, kMaxName);
  check(problems, "/description", definition.description, true, kMaxDescription);
  for (const InputSpec& spec : definition.inputs) {
    const std::string at = "/inputs/" + pointerToken(spec.name);
    check(problems, at, spec.name, false, kMaxName);
    check(problems, at + "/description", spec.description, true, kMaxDescription);
  }
  for (const Node& node : definition.nodes) {
    const std::string at = "/nodes/" + pointerToken(node.name);
    check(problems, at, node.name, false, kMaxName);
    check(problems, at + "/title", node.title, false, kMaxName);
    if (const auto* wait = std::get_if<WaitNode>(&node.spec)) {
      check(problems, at + "/signal", wait->signal, false, kMaxName);
    } else if (const auto* action = std::get_if<ActionNode>(&node.spec)) {
      for (const ActionExit& exit : action->exits) {
        check(problems, at + "/exits/" + pointerToken(exit.name), exit.name, false, kMaxName);
      }
    }
  }
  return problems;
}

} // namespace opflow::model
