// OperationCatalog: batches are added whole or not at all, definitions of a batch may call
// each other, a name+version is immutable once loaded, versions are looked up by number
// or latest, and content hashes tell definitions apart.
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/model/OperationBuilder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using namespace opflow;
using namespace opflow::model;
using engine::OperationCatalog;
using engine::OperationPtr;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// start sets `field` to `value`, done returns it.
OperationDefinition simple(const std::string& name, std::int64_t version, Json value = 1,
                           const std::string& field = "answer") {
  return OperationBuilder(name, version)
      .startsWith("start")
      .action("start", {.set = {{field, std::move(value)}}, .goTo = "done"})
      .result("done", {.fields = {field}})
      .build();
}

// start calls `callee`, done returns what it gave.
OperationDefinition caller(const std::string& name, const std::string& callee) {
  return OperationBuilder(name, 1)
      .startsWith("start")
      .call("start", {.operation = callee, .saveAs = "reply", .onSuccess = "done"})
      .result("done", {.fields = {"reply"}})
      .build();
}

// A definition the validator refuses: its start goes nowhere.
OperationDefinition broken(const std::string& name) {
  return OperationBuilder(name, 1)
      .startsWith("start")
      .action("start", {.set = {{"a", 1}}, .goTo = "dne"})
      .result("done")
      .build();
}

std::vector<std::int64_t> versions(const std::vector<OperationPtr>& operations) {
  std::vector<std::int64_t> result;
  for (const OperationPtr& op : operations) {
    result.push_back(op->version());
  }
  return result;
}

class CatalogTest : public ::testing::Test {
protected:
  engine::HandlerRegistry m_handlers;
  OperationCatalog m_catalog{m_handlers};
};

TEST_F(CatalogTest, ABatchWithOneBadDefinitionAddsNone) {
  auto added = m_catalog.addAll({simple("test.good", 1), broken("test.bad"), simple("test.other", 1)});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code, ErrorCode::InvalidDefinition);
  EXPECT_EQ(added.error().message, "3 problem(s); no definition was added");
  EXPECT_EQ(added.error().problems,
            (std::vector<Problem>{{"test.bad v1: /nodes/start/go_to", R"(no node "dne")"},
                                  {"test.bad v1: /nodes/done", R"(is unreachable from "start")"},
                                  {"test.bad v1: /starts_with",
                                   "no result or fail node can be reached: the operation never ends"}}));
  for (const char* name : {"test.good", "test.bad", "test.other"}) {
    EXPECT_FALSE(m_catalog.contains(name)) << name;
  }
  EXPECT_TRUE(m_catalog.latestVersions().empty());
}

TEST_F(CatalogTest, DefinitionsOfOneBatchMayCallEachOther) {
  ASSERT_TRUE(m_catalog.addAll({caller("test.outer", "test.inner"), caller("test.inner", "test.leaf"),
                                simple("test.leaf", 1)})
                  .ok());
  EXPECT_TRUE(m_catalog.contains("test.outer"));
  EXPECT_TRUE(m_catalog.contains("test.inner"));
  EXPECT_TRUE(m_catalog.contains("test.leaf"));
}

TEST_F(CatalogTest, ALaterDefinitionMayCallOneAddedBefore) {
  ASSERT_TRUE(m_catalog.add(simple("test.leaf", 1)).ok());
  ASSERT_TRUE(m_catalog.add(caller("test.outer", "test.leaf")).ok());
  auto added = m_catalog.add(caller("test.lost", "test.nowhere"));
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().problems,
            (std::vector<Problem>{{"test.lost v1: /nodes/start/operation", R"(no operation "test.nowhere" is known)"}}));
}

TEST_F(CatalogTest, TheSameVersionIsAcceptedAgainOnlyWithTheSameContent) {
  ASSERT_TRUE(m_catalog.add(simple("test.op", 1)).ok());
  const OperationPtr first = m_catalog.find("test.op", 1);
  EXPECT_TRUE(m_catalog.add(simple("test.op", 1)).ok());
  EXPECT_EQ(m_catalog.find("test.op", 1), first) << "the loaded operation is kept";

  auto changed = m_catalog.add(simple("test.op", 1, 2));
  ASSERT_FALSE(changed.ok());
  EXPECT_EQ(changed.error().problems,
            (std::vector<Problem>{{"test.op v1: /version",
                                   R"("test.op" v1 is loaded already with other content: raise the version to change it)"}}));
  EXPECT_EQ(m_catalog.find("test.op", 1), first);
  EXPECT_EQ(versions(m_catalog.versionsOf("test.op")), (std::vector<std::int64_t>{1}));
}

TEST_F(CatalogTest, ANameAndVersionMayAppearOnceInABatch) {
  auto added = m_catalog.addAll({simple("test.op", 1), simple("test.op", 1)});
  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().problems,
            (std::vector<Problem>{{"test.op v1: /version", R"("test.op" v1 appears twice in this batch)"}}));
  EXPECT_FALSE(m_catalog.contains("test.op"));
}

TEST_F(CatalogTest, VersionsAreFoundByNumberOrLatest) {
  ASSERT_TRUE(m_catalog.add(simple("test.op", 1)).ok());
  ASSERT_TRUE(m_catalog.add(simple("test.op", 3, 3)).ok());
  ASSERT_TRUE(m_catalog.add(simple("test.op", 2, 2)).ok());
  ASSERT_TRUE(m_catalog.add(simple("test.other", 7)).ok());

  ASSERT_NE(m_catalog.latest("test.op"), nullptr);
  EXPECT_EQ(m_catalog.latest("test.op")->version(), 3);
  ASSERT_NE(m_catalog.find("test.op", 2), nullptr);
  EXPECT_EQ(m_catalog.find("test.op", 2)->version(), 2);
  EXPECT_EQ(m_catalog.find("test.op", 2)->definition(), simple("test.op", 2, 2));
  EXPECT_EQ(m_catalog.find("test.op", 4), nullptr);
  EXPECT_EQ(m_catalog.find("test.nope", 1), nullptr);
  EXPECT_EQ(m_catalog.latest("test.nope"), nullptr);
  EXPECT_FALSE(m_catalog.contains("test.nope"));

  EXPECT_EQ(versions(m_catalog.versionsOf("test.op")), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_TRUE(m_catalog.versionsOf("test.nope").empty());
  std::vector<std::string> latestNames;
  for (const OperationPtr& op : m_catalog.latestVersions()) {
    latestNames.push_back(op->name() + " v" + std::to_string(op->version()));
  }
  EXPECT_EQ(latestNames, (std::vector<std::string>{"test.op v3", "test.other v7"}));
}

TEST_F(CatalogTest, CheckListsTheProblemsOfEachDefinitionWithoutAdding) {
  ASSERT_TRUE(m_catalog.add(simple("test.loaded", 1)).ok());
  const std::vector<std::vector<Problem>> problems = m_catalog.check(
      {simple("test.good", 1), caller("test.caller", "test.good"), broken("test.bad"), simple("test.loaded", 1, 9)});
  ASSERT_EQ(problems.size(), 4U);
  EXPECT_TRUE(problems[0].empty());
  EXPECT_TRUE(problems[1].empty()) << "a call to another definition of the batch is fine";
  EXPECT_EQ(problems[2],
            (std::vector<Problem>{{"/nodes/start/go_to", R"(no node "dne")"},
                                  {"/nodes/done", R"(is unreachable from "start")"},
                                  {"/starts_with", "no result or fail node can be reached: the operation never ends"}}));
  ASSERT_EQ(problems[3].size(), 1U);
  EXPECT_EQ(problems[3][0].pointer, "/version");
  EXPECT_THAT(problems[3][0].message, HasSubstr("raise the version"));
  EXPECT_FALSE(m_catalog.contains("test.good"));
  EXPECT_FALSE(m_catalog.contains("test.caller"));
}

TEST_F(CatalogTest, AnEmptyBatchIsFine) {
  EXPECT_TRUE(m_catalog.addAll({}).ok());
  EXPECT_TRUE(m_catalog.check({}).empty());
}

TEST(ContentHashTest, IsSha256HexStableForEqualDefinitions) {
  const std::string hash = engine::contentHashOf(simple("test.op", 1));
  EXPECT_THAT(hash, MatchesRegex("[0-9a-f]{64}"));
  EXPECT_EQ(engine::contentHashOf(simple("test.op", 1)), hash);

  engine::HandlerRegistry handlers;
  OperationCatalog catalog(handlers);
  ASSERT_TRUE(catalog.add(simple("test.op", 1)).ok());
  EXPECT_EQ(catalog.latest("test.op")->contentHash(), hash);
}

TEST(ContentHashTest, ChangesWithTheContent) {
  const std::string hash = engine::contentHashOf(simple("test.op", 1));
  EXPECT_NE(engine::contentHashOf(simple("test.op", 2)), hash);
  EXPECT_NE(engine::contentHashOf(simple("test.op", 1, 2)), hash) << "a set expression changed";
  EXPECT_NE(engine::contentHashOf(simple("test.op", 1, 1, "other")), hash) << "a field changed";

  OperationDefinition titled = simple("test.op", 1);
  titled.nodes[1].title = "Done";
  EXPECT_NE(engine::contentHashOf(titled), hash) << "a node title changed";
}

TEST(ContentHashTest, ChangesWithTheOrderOfSetAssignments) {
  // `set` applies in order, so {b = 1, a = b} and {a = b, b = 1} are different operations.
  auto ordered = [](Assignments set) {
    return OperationBuilder("test.op", 1)
        .startsWith("start")
        .action("start", {.set = std::move(set), .goTo = "done"})
        .result("done", {.fields = {"a"}})
        .build();
  };
  const Json readB = {{"var", "b"}};
  EXPECT_NE(engine::contentHashOf(ordered({{"b", 1}, {"a", readB}})),
            engine::contentHashOf(ordered({{"a", readB}, {"b", 1}})));
}

} // namespace
