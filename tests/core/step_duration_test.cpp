// RunStore::typicalStepDurationUs, what the engine's ETA learns from: the median of the
// last error-free steps of one node of one operation, on the in-memory store and on a
// real SQLite file.
#include "StoreTestSupport.h"

#include "opflow/engine/InMemoryRunStore.h"
#include "opflow/store/SqliteRunStore.h"

#include <gtest/gtest.h>

namespace opflow::engine {
namespace {

RunRecord newRun(const std::string& operation) {
  RunRecord run;
  run.id = RunId::generate();
  run.operation = operation;
  run.version = 1;
  run.contentHash = "hash";
  run.currentNode = "price";
  run.context.user = "ada";
  run.context.role = "operator";
  run.context.workstation = "ws-1";
  run.context.correlationId = "corr";
  return run;
}

void addStep(RunStore& store, RunRecord& run, const std::string& node, std::int64_t durationUs,
             std::string error = {}, std::string exit = {}) {
  StepRecord step{run.id, run.stepCount, node, model::NodeKind::Action, error.empty() ? std::move(exit) : "failed",
                  TimePoint{}, durationUs, std::move(error), false};
  ++run.stepCount;
  ASSERT_TRUE(store.stepFinished(run, step));
}

// One run of "quote" whose "price" node ran 27 times: 5 slow steps, then 1 to 20 ms, then
// a step that failed at once and two cut short by a declared exit ("failed", "timeout");
// the last 20 that ended well are 1 to 20 ms (median 10.5 ms).
// Steps of another node and of another operation must not count.
void seed(RunStore& store) {
  RunRecord quote = newRun("quote");
  ASSERT_TRUE(store.runCreated(quote));
  for (int i = 0; i < 5; ++i) {
    addStep(store, quote, "price", 1'000'000'000);
  }
  for (std::int64_t ms = 1; ms <= 20; ++ms) {
    addStep(store, quote, "price", ms * 1000);
    addStep(store, quote, "check", 7);
  }
  addStep(store, quote, "price", 5, "the worker crashed");
  addStep(store, quote, "price", 3, {}, "failed");
  addStep(store, quote, "price", 1'800'000'000, {}, "timeout");

  RunRecord other = newRun("other");
  ASSERT_TRUE(store.runCreated(other));
  addStep(store, other, "price", 999'000'000);
}

void expectTypical(const RunStore& store) {
  static_assert(RunStore::kTypicalSamples == 20);
  EXPECT_EQ(store.typicalStepDurationUs("quote", "price"), 10'500);
  EXPECT_EQ(store.typicalStepDurationUs("quote", "check"), 7);
  EXPECT_EQ(store.typicalStepDurationUs("other", "price"), 999'000'000);
  EXPECT_EQ(store.typicalStepDurationUs("quote", "ship"), std::nullopt);
  EXPECT_EQ(store.typicalStepDurationUs("nothing", "price"), std::nullopt);
}

TEST(TypicalStepDurationTest, InMemoryItIsTheMedianOfTheLastErrorFreeStepsOfTheNode) {
  InMemoryRunStore store;
  seed(store);
  expectTypical(store);
}

class SqliteTypicalStepDurationTest : public store::test::StoreFixture {};

TEST_F(SqliteTypicalStepDurationTest, ItIsTheMedianOfTheLastErrorFreeStepsOfTheNode) {
  store::SqliteRunStore runs(*store);
  seed(runs);
  ASSERT_TRUE(runs.flush());
  expectTypical(runs);
}

TEST(MedianDurationTest, OddCountsTakeTheMiddleAndEvenOnesTheMeanOfTheTwoMiddleOnes) {
  EXPECT_EQ(medianDurationUs({}), std::nullopt);
  EXPECT_EQ(medianDurationUs({30, 10, 20}), 20);
  EXPECT_EQ(medianDurationUs({40, 10, 30, 20}), 25);
  EXPECT_EQ(medianDurationUs({5}), 5);
}

} // namespace
} // namespace opflow::engine
