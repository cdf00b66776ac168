// The generator picks each node's kind in order with a seeded std::minstd_rand (its
// sequence is fixed by the standard, so the output is the same everywhere), then wires the
// edges: every non-terminal node goes on to the next non-fail node; a fail node is only
// ever placed right after a decision, whose false branch leads to it; other decisions
// skip ahead or loop back a few nodes; every fourth decision uses cases; waits time out
// to the node after next. Every node is therefore reachable and every loop can leave.
#include "opflow/testing/GeneratedOperation.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>

namespace opflow::testing {

namespace {

constexpr std::array<const char*, 8> kTitleWords = {"Check", "stock", "level", "for the order",
                                                    "and confirm", "with the", "supplier", "before packing"};

std::string nodeName(std::size_t index) { return fmt::format("step_{:04}", index); }

std::string titleOf(std::size_t index, std::minstd_rand& random) {
  std::string title = kTitleWords[random() % kTitleWords.size()];
  const std::size_t words = random() % 5;
  for (std::size_t w = 0; w < words; ++w) {
    title += ' ';
    title += kTitleWords[random() % kTitleWords.size()];
  }
  return fmt::format("{} {}", title, index);
}

Json below(std::size_t threshold) { return Json{{"<", Json::array({Json{{"var", "x"}}, threshold})}}; }

} // namespace

model::OperationDefinition generatedOperation(std::size_t nodeCount, std::uint32_t seed) {
  nodeCount = std::max<std::size_t>(nodeCount, 2);
  std::minstd_rand random(seed);
  const auto chance = [&random](unsigned percent) { return random() % 100 < percent; };

  std::vector<model::NodeKind> kinds(nodeCount, model::NodeKind::Action);
  for (std::size_t i = 0; i + 1 < nodeCount; ++i) {
    if (i > 0 && kinds[i - 1] == model::NodeKind::Decision && i + 1 < nodeCount - 1 && chance(40)) {
      kinds[i] = model::NodeKind::Fail;
      continue;
    }
    const auto roll = random() % 100;
    kinds[i] = roll < 35   ? model::NodeKind::Decision
               : roll < 75 ? model::NodeKind::Action
               : roll < 87 ? model::NodeKind::Call
                           : model::NodeKind::Wait;
  }
  kinds.back() = model::NodeKind::Result;

  // nextOf[i]: the first node after i that is not a fail (the result at the latest).
  std::vector<std::size_t> nextOf(nodeCount, nodeCount - 1);
  for (std::size_t i = nodeCount - 1; i-- > 0;) {
    nextOf[i] = kinds[i + 1] == model::NodeKind::Fail ? nextOf[i + 1] : i + 1;
  }

  model::OperationDefinition definition;
  definition.name = fmt::format("generated.{}", nodeCount);
  definition.version = 1;
  definition.title = fmt::format("Generated operation of {} nodes", nodeCount);
  definition.inputs.push_back(model::InputSpec{"x", model::InputType::Integer, false, Json(0), {}, {}, {}, {}});
  definition.startsWith = nodeName(0);

  std::size_t decisions = 0;
  for (std::size_t i = 0; i < nodeCount; ++i) {
    model::Node node;
    node.name = nodeName(i);
    if (chance(60)) {
      node.title = titleOf(i, random);
    }
    const std::string next = nodeName(nextOf[i]);
    switch (kinds[i]) {
    case model::NodeKind::Decision: {
      std::string other = next;
      if (kinds[i + 1] == model::NodeKind::Fail) {
        other = nodeName(i + 1);
      } else if (i >= 3 && chance(25)) {
        other = nodeName(i - 1 - random() % 3); // a loop back
      } else if (nextOf[i] + 1 < nodeCount) {
        other = nodeName(std::min(nodeCount - 1, nextOf[nextOf[i]] + random() % 4));
      }
      if (++decisions % 4 == 0) {
        node.spec = model::DecisionNode{
            std::nullopt, "", "", {{below(10), other}, {below(100), next}}, next};
      } else {
        node.spec = model::DecisionNode{below(50 + i), next, other, {}, ""};
      }
      break;
    }
    case model::NodeKind::Action: {
      model::ActionNode action;
      action.set = {{"x", Json{{"+", Json::array({Json{{"var", "x"}}, 1})}}}};
      action.goTo = next;
      node.spec = std::move(action);
      break;
    }
    case model::NodeKind::Call:
      node.spec = model::CallNode{definition.name, {}, fmt::format("call_{}", i), next, ""};
      break;
    case model::NodeKind::Wait: {
      const std::string afterNext = nodeName(nextOf[nextOf[i]]);
      node.spec = model::WaitNode{fmt::format("signal.{}", i), "", next, std::nullopt, 60.0, afterNext};
      break;
    }
    case model::NodeKind::Result:
      node.spec = model::ResultNode{{"x"}, {}};
      break;
    case model::NodeKind::Fail:
      node.spec = model::FailNode{Json(fmt::format("rejected at step {}", i))};
      break;
    }
    definition.nodes.push_back(std::move(node));
  }
  return definition;
}

} // namespace opflow::testing
