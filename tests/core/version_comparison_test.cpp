// flowchart::compareVersions over the shipped operations and edited copies of them:
// nothing changes against itself; added, removed and changed nodes are told apart; the
// merged definition holds every node of both, the removed ones with their older edges;
// and each detail line names the part of the node that differs.
#include "opflow/builtin/Builtin.h"
#include "opflow/flowchart/VersionComparison.h"

#include <gmock/gmock.h>

#include <set>

namespace opflow::flowchart {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<model::OperationDefinition> shipped() {
  auto definitions = builtin::definitions();
  EXPECT_TRUE(definitions) << definitions.error().describe();
  return definitions ? *definitions : std::vector<model::OperationDefinition>{};
}

model::OperationDefinition shippedNamed(const std::string& name) {
  for (model::OperationDefinition& definition : shipped()) {
    if (definition.name == name) {
      return definition;
    }
  }
  ADD_FAILURE() << "no shipped operation " << name;
  return {};
}

model::Node& nodeOf(model::OperationDefinition& definition, const std::string& name) {
  for (model::Node& node : definition.nodes) {
    if (node.name == name) {
      return node;
    }
  }
  throw std::out_of_range("no node " + name); // a test bug: the edit names a node the definition lacks
}

template <typename Spec>
Spec& specOf(model::OperationDefinition& definition, const std::string& name) {
  return std::get<Spec>(nodeOf(definition, name).spec);
}

std::vector<std::string> namesOf(const model::OperationDefinition& definition) {
  std::vector<std::string> names;
  for (const model::Node& node : definition.nodes) {
    names.push_back(node.name);
  }
  return names;
}

std::vector<std::string> targetsOf(const model::Node& node) {
  std::vector<std::string> targets;
  for (const model::Edge& edge : model::edgesOf(node)) {
    targets.push_back(edge.target + "/" + edge.exitName);
  }
  return targets;
}

// The details as "node: parts" lines, as the console lists them.
std::vector<std::string> linesOf(const VersionComparison& comparison) {
  std::vector<std::string> lines;
  for (const NodeDifference& detail : comparison.details) {
    lines.push_back(detail.node + ": " + detail.parts);
  }
  return lines;
}

TEST(VersionComparisonTest, EveryShippedOperationAgainstItselfIsTheSameThroughout) {
  std::vector<model::OperationDefinition> definitions = shipped();
  ASSERT_FALSE(definitions.empty());
  for (const model::OperationDefinition& definition : definitions) {
    VersionComparison comparison = compareVersions(definition, definition);
    EXPECT_EQ(comparison.merged, definition) << definition.name;
    EXPECT_THAT(comparison.details, IsEmpty()) << definition.name;
    ASSERT_EQ(comparison.changes.size(), definition.nodes.size()) << definition.name;
    for (const auto& [node, change] : comparison.changes) {
      EXPECT_EQ(change, NodeChange::Same) << definition.name << " " << node;
    }
  }
}

// Each shipped operation, edited: its first node retitled, its last node removed and a
// new node added. The comparison finds exactly these, and the merged definition holds the
// newer nodes in order, then the removed one with its older edges.
TEST(VersionComparisonTest, EditedCopiesOfEveryShippedOperationShowWhatWentWhatCameAndWhatChanged) {
  for (const model::OperationDefinition& older : shipped()) {
    SCOPED_TRACE(older.name);
    ASSERT_GE(older.nodes.size(), 2u);
    model::OperationDefinition newer = older;
    newer.version = older.version + 1;
    newer.title = "Edited";
    const model::Node& first = older.nodes.front();
    const model::Node& last = older.nodes.back();
    newer.nodes.front().title = "Edited: " + first.title;
    newer.nodes.pop_back();
    newer.nodes.push_back({"added_check", "", model::FailNode{"added in the newer version"}});

    VersionComparison comparison = compareVersions(older, newer);
    EXPECT_EQ(comparison.merged.name, newer.name);
    EXPECT_EQ(comparison.merged.version, newer.version);
    EXPECT_EQ(comparison.merged.title, "Edited");
    EXPECT_EQ(comparison.merged.startsWith, newer.startsWith);

    std::vector<std::string> expectedOrder = namesOf(newer);
    expectedOrder.push_back(last.name);
    EXPECT_EQ(namesOf(comparison.merged), expectedOrder);
    EXPECT_EQ(comparison.merged.nodes.back(), last) << "the removed node as the older version had it";
    EXPECT_EQ(targetsOf(comparison.merged.nodes.back()), targetsOf(last));

    std::set<std::string> everyName;
    for (const std::string& name : namesOf(older)) {
      everyName.insert(name);
    }
    for (const std::string& name : namesOf(newer)) {
      everyName.insert(name);
    }
    std::set<std::string> merged(expectedOrder.begin(), expectedOrder.end());
    EXPECT_EQ(merged, everyName) << "the merged definition holds every node of both";
    ASSERT_EQ(comparison.changes.size(), everyName.size());

    for (const auto& [node, change] : comparison.changes) {
      NodeChange expected = node == first.name    ? NodeChange::Changed
                            : node == last.name   ? NodeChange::Removed
                            : node == "added_check" ? NodeChange::Added
                                                    : NodeChange::Same;
      EXPECT_EQ(change, expected) << node << " is " << toString(change);
    }
    EXPECT_THAT(linesOf(comparison), ElementsAre(first.name + ": title"));
  }
}

TEST(VersionComparisonTest, EachDifferingPartOfANodeIsNamedWithShortValuesShown) {
  model::OperationDefinition older = shippedNamed("demo.every_kind");
  model::OperationDefinition newer = older;
  newer.version = 2;
  specOf<model::DecisionNode>(newer, "size?").cases[0].when = Json{{">=", {Json{{"var", "amount"}}, 5000}}};
  specOf<model::ActionNode>(newer, "small").set = {{"tier", "tiny"}};
  nodeOf(newer, "medium").title = "A medium order";
  auto& quote = specOf<model::ActionNode>(newer, "quote");
  quote.handler = "demo.quote_v2";
  quote.goTo = "review";
  quote.with["currency"] = "EUR";
  quote.exits.push_back({"too_small", "no_review"});
  specOf<model::WaitNode>(newer, "review").timeoutS = 7200.0;
  specOf<model::WaitNode>(newer, "review").signal = "reviewed";
  specOf<model::DecisionNode>(newer, "approved?").condition = Json{{"var", "review.ok"}};
  specOf<model::DecisionNode>(newer, "approved?").ifFalse = "no_review";
  auto& notify = specOf<model::CallNode>(newer, "notify");
  notify.operation = "demo.notify_v2";
  notify.inputs.pop_back();
  notify.onFailure.clear();
  specOf<model::WaitNode>(newer, "settle").timerS = 0.5;
  specOf<model::ResultNode>(newer, "done").expressions.pop_back();
  specOf<model::FailNode>(newer, "rejected").reason = "rejected";
  nodeOf(newer, "no_review").spec = model::ResultNode{{"review"}, {}};

  VersionComparison comparison = compareVersions(older, newer);
  EXPECT_THAT(linesOf(comparison),
              ElementsAre("size?: cases", "small: set", "medium: title",
                          "quote: handler demo.quote → demo.quote_v2, with, go_to notify → review, exits",
                          "review: signal review → reviewed, timeout_s 3600s → 7200s",
                          "approved?: condition, if_false rejected → no_review",
                          "notify: operation demo.notify → demo.notify_v2, inputs, on_failure notify_failed → none",
                          "settle: timer_s 0.05s → 0.5s", "done: outputs", "rejected: reason",
                          "no_review: kind fail → result"));
  EXPECT_EQ(comparison.changes.at("large"), NodeChange::Same);
  EXPECT_EQ(comparison.changes.at("notify_failed"), NodeChange::Same);
  EXPECT_EQ(comparison.changes.at("no_review"), NodeChange::Changed);
}

TEST(VersionComparisonTest, RemovedNodesKeepTheirOlderEdgesSoTheMergedFlowchartIsWhole) {
  model::OperationDefinition older = shippedNamed("demo.every_kind");
  model::OperationDefinition newer = older;
  newer.version = 2;
  // The review goes: quote's needs_review exit now rejects at once.
  std::erase_if(newer.nodes, [](const model::Node& node) { return node.name == "review" || node.name == "approved?"; });
  specOf<model::ActionNode>(newer, "quote").exits = {{"needs_review", "rejected"}};

  VersionComparison comparison = compareVersions(older, newer);
  EXPECT_EQ(comparison.changes.at("review"), NodeChange::Removed);
  EXPECT_EQ(comparison.changes.at("approved?"), NodeChange::Removed);
  EXPECT_EQ(comparison.changes.at("quote"), NodeChange::Changed);
  EXPECT_THAT(linesOf(comparison), ElementsAre("quote: exits"));
  ASSERT_NE(comparison.merged.findNode("review"), nullptr);
  EXPECT_THAT(targetsOf(*comparison.merged.findNode("review")), ElementsAre("approved?/signal", "no_review/timeout"));
  EXPECT_THAT(targetsOf(*comparison.merged.findNode("approved?")), ElementsAre("notify/true", "rejected/false"));
  for (const model::Node& node : comparison.merged.nodes) {
    for (const model::Edge& edge : model::edgesOf(node)) {
      EXPECT_NE(comparison.merged.findNode(edge.target), nullptr) << node.name << " → " << edge.target;
    }
  }
}

TEST(VersionComparisonTest, ANodesDetailsAreFoundByItsNameNotByAPrefixOfAnotherNodes) {
  model::OperationDefinition older = shippedNamed("demo.every_kind");
  model::ActionNode passOn;
  passOn.goTo = "quote";
  older.nodes.push_back({"a", "A", passOn});
  older.nodes.push_back({"a: x", "A and x", passOn});
  model::OperationDefinition newer = older;
  newer.version = 2;
  nodeOf(newer, "a").title = "Another A";
  specOf<model::ActionNode>(newer, "a: x").handler = "demo.x";

  VersionComparison comparison = compareVersions(older, newer);
  EXPECT_THAT(comparison.details, ElementsAre(NodeDifference{"a", "title"}, NodeDifference{"a: x", "handler none → demo.x"}));
  EXPECT_EQ(comparison.detailOf("a"), "title");
  EXPECT_EQ(comparison.detailOf("a: x"), "handler none → demo.x");
  EXPECT_EQ(comparison.detailOf("quote"), "");
}

TEST(VersionComparisonTest, AnEmptyOlderVersionMakesEveryNodeAdded) {
  model::OperationDefinition newer = shippedNamed("document.prepare_download");
  VersionComparison comparison = compareVersions(model::OperationDefinition{}, newer);
  EXPECT_EQ(comparison.merged, newer);
  for (const auto& [node, change] : comparison.changes) {
    EXPECT_EQ(change, NodeChange::Added) << node;
  }
  EXPECT_THAT(comparison.details, IsEmpty());
}

TEST(VersionComparisonTest, ChangesHaveLowerCaseNames) {
  EXPECT_STREQ(toString(NodeChange::Same), "same");
  EXPECT_STREQ(toString(NodeChange::Added), "added");
  EXPECT_STREQ(toString(NodeChange::Removed), "removed");
  EXPECT_STREQ(toString(NodeChange::Changed), "changed");
}

} // namespace
} // namespace opflow::flowchart
