// TaskProgress: the line a long task shows, with its estimate from the pace so far.
#include "opflow/observe/TaskProgress.h"

#include <gtest/gtest.h>

namespace opflow::observe {
namespace {

using namespace std::chrono_literals;

TEST(TaskProgressTest, SaysHowFarAndEstimatesTheRestFromThePaceSoFar) {
  const TaskProgress::Clock::time_point start{};
  const TaskProgress replay("steps", start);
  EXPECT_EQ(replay.text(12'345, 29'000, start + 10s), "42 % (12,345 of 29,000 steps), about 13 s left");
  EXPECT_EQ(replay.text(1'000, 29'000, start + 10s), "3 % (1,000 of 29,000 steps), about 4 min 40 s left");
  EXPECT_EQ(replay.text(290, 29'000, start + 30min), "1 % (290 of 29,000 steps), about 49 h 30 min left");
}

TEST(TaskProgressTest, GivesNoEstimateBeforeThePaceSaysAnythingNorAtTheEnd) {
  const TaskProgress::Clock::time_point start{};
  const TaskProgress replay("steps", start);
  EXPECT_EQ(replay.text(0, 29'000, start + 5s), "0 % (0 of 29,000 steps)");
  EXPECT_EQ(replay.text(5'000, 29'000, start + 500ms), "17 % (5,000 of 29,000 steps)") << "under a second";
  EXPECT_EQ(replay.text(200, 29'000, start + 5s), "0 % (200 of 29,000 steps)") << "under a hundredth";
  EXPECT_EQ(replay.text(29'000, 29'000, start + 60s), "100 % (29,000 of 29,000 steps)");
  EXPECT_EQ(replay.text(0, 0, start), "100 % (0 of 0 steps)");
}

TEST(TaskProgressTest, RemainingTimeIsWordedByItsSize) {
  EXPECT_EQ(remainingText(45s), "45 s");
  EXPECT_EQ(remainingText(80s), "1 min 20 s");
  EXPECT_EQ(remainingText(2h + 5min + 3s), "2 h 5 min");
}

} // namespace
} // namespace opflow::observe
