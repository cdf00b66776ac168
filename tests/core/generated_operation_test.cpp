// generatedOperation(): exactly the asked size, the same for the same seed, different for
// another, and valid: the catalog accepts it as it accepts a shipped definition.
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/testing/GeneratedOperation.h"

#include <gtest/gtest.h>

#include <set>

namespace {

using namespace opflow;

TEST(GeneratedOperationTest, HasTheAskedSizeAndEveryKind) {
  const auto definition = opflow::testing::generatedOperation(200);
  EXPECT_EQ(definition.name, "generated.200");
  ASSERT_EQ(definition.nodes.size(), 200U);
  std::set<model::NodeKind> kinds;
  for (const model::Node& node : definition.nodes) {
    kinds.insert(node.kind());
  }
  EXPECT_EQ(kinds.size(), 6U);
}

TEST(GeneratedOperationTest, SameSeedSameDefinition) {
  EXPECT_EQ(opflow::testing::generatedOperation(80, 5), opflow::testing::generatedOperation(80, 5));
  EXPECT_NE(opflow::testing::generatedOperation(80, 5), opflow::testing::generatedOperation(80, 6));
}

TEST(GeneratedOperationTest, Validates) {
  engine::HandlerRegistry handlers;
  for (std::size_t count : {2U, 3U, 50U, 200U, 500U}) {
    for (std::uint32_t seed : {1U, 2U, 3U}) {
      engine::OperationCatalog catalog(handlers);
      const Status added = catalog.add(opflow::testing::generatedOperation(count, seed));
      EXPECT_TRUE(added.ok()) << count << "/" << seed << ": " << added.error().describe();
    }
  }
}

} // namespace
