// The demo shop's timetable: orders in every status, steps in time order, in the order
// the status model allows, and the same plan for the same seed.
#include "opflow/demo/DemoPlan.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace {

using opflow::demo::DemoPlan;
using opflow::demo::DemoStep;
using opflow::demo::planDemo;

constexpr std::int64_t kNowMs = 1'790'000'000'000;

DemoPlan plan(std::int64_t orders, std::uint64_t seed = 7) {
  return planDemo({orders, seed, kNowMs, 8, {"olga", "omar"}});
}

TEST(DemoPlanTest, StepsAreInTimeOrderAndInThePast) {
  DemoPlan demo = plan(2000);
  ASSERT_EQ(demo.orders.size(), 2000u);
  for (std::size_t i = 1; i < demo.steps.size(); ++i) {
    ASSERT_LE(demo.steps[i - 1].atMs, demo.steps[i].atMs);
  }
  for (const auto& step : demo.steps) {
    ASSERT_LT(step.atMs, kNowMs);
    ASSERT_GT(step.atMs, kNowMs - 90LL * 24 * 3600 * 1000);
  }
}

TEST(DemoPlanTest, EachOrderIsCreatedFirstAndMovesOneStepAtATime) {
  DemoPlan demo = plan(2000);
  std::map<std::size_t, std::vector<DemoStep>> byOrder;
  for (const auto& step : demo.steps) {
    byOrder[step.order].push_back(step.step);
  }
  ASSERT_EQ(byOrder.size(), 2000u);
  const std::vector<DemoStep> lifecycle{DemoStep::Create,         DemoStep::UploadFile,         DemoStep::Submit,
                                        DemoStep::CalculatePrice, DemoStep::Approve,            DemoStep::StartManufacturing,
                                        DemoStep::CompleteManufacturing, DemoStep::StartPackaging, DemoStep::Ship,
                                        DemoStep::ReviewAudit,    DemoStep::Close};
  for (const auto& [order, steps] : byOrder) {
    ASSERT_EQ(steps.front(), DemoStep::Create) << "order " << order;
    std::vector<DemoStep> forward;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      DemoStep step = steps[i];
      bool detour = step == DemoStep::UploadWrongFile || step == DemoStep::ShipWithTypo || step == DemoStep::Release ||
                    step == DemoStep::Hold || step == DemoStep::Cancel;
      if (step == DemoStep::CompleteManufacturing && i + 1 < steps.size() && steps[i + 1] == DemoStep::Release) {
        detour = true; // the failed quality check before the release
      }
      if (detour) {
        if (step == DemoStep::Hold || step == DemoStep::Cancel) {
          EXPECT_EQ(i, steps.size() - 1) << "a hold or cancel ends the plan of order " << order;
        }
        continue;
      }
      forward.push_back(step);
    }
    ASSERT_LE(forward.size(), lifecycle.size());
    for (std::size_t i = 0; i < forward.size(); ++i) {
      if (forward[i] == DemoStep::Close) {
        EXPECT_EQ(forward[i - 1], DemoStep::ReviewAudit);
        continue;
      }
      EXPECT_EQ(forward[i], lifecycle[i]) << "order " << order << " step " << i;
    }
  }
}

TEST(DemoPlanTest, TheShopHasWorkEverywhereAndDetours) {
  DemoPlan demo = plan(5000);
  std::map<std::size_t, DemoStep> last;
  std::set<DemoStep> seen;
  for (const auto& step : demo.steps) {
    last[step.order] = step.step;
    seen.insert(step.step);
  }
  std::map<DemoStep, int> endedWith;
  for (const auto& [order, step] : last) {
    ++endedWith[step];
  }
  for (DemoStep step : {DemoStep::Create, DemoStep::UploadFile, DemoStep::Submit, DemoStep::CalculatePrice,
                        DemoStep::Approve, DemoStep::StartManufacturing, DemoStep::StartPackaging, DemoStep::Ship,
                        DemoStep::Close, DemoStep::Cancel, DemoStep::Hold}) {
    EXPECT_GT(endedWith[step], 25) << opflow::demo::toString(step);
  }
  for (DemoStep detour : {DemoStep::UploadWrongFile, DemoStep::ShipWithTypo, DemoStep::Release}) {
    EXPECT_TRUE(seen.contains(detour)) << opflow::demo::toString(detour);
  }
}

TEST(DemoPlanTest, TheSameSeedGivesTheSamePlan) {
  DemoPlan a = plan(500, 11);
  DemoPlan b = plan(500, 11);
  DemoPlan c = plan(500, 12);
  ASSERT_EQ(a.steps.size(), b.steps.size());
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    ASSERT_EQ(a.steps[i].atMs, b.steps[i].atMs);
    ASSERT_EQ(a.steps[i].step, b.steps[i].step);
  }
  EXPECT_EQ(a.orders[17].customer, b.orders[17].customer);
  bool differs = a.steps.size() != c.steps.size();
  for (std::size_t i = 0; !differs && i < a.steps.size(); ++i) {
    differs = a.steps[i].atMs != c.steps[i].atMs;
  }
  EXPECT_TRUE(differs);
}

} // namespace
