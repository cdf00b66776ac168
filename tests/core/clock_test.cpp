// The engine's clocks: a manual clock's sleep moves it on (never back) at once; the system
// clock's sleep ends early when its stop token fires.
#include "opflow/engine/Clock.h"
#include "opflow/pricing/PricingService.h"

#include <gtest/gtest.h>

#include <thread>

namespace {

using namespace std::chrono_literals;
using opflow::engine::ManualClock;
using opflow::engine::SteadyTimePoint;

TEST(ManualClockTest, SleepingMovesTheClockOnInsteadOfWaiting) {
  ManualClock clock;
  const auto wallBefore = clock.now();
  const SteadyTimePoint start = clock.steadyNow();
  ASSERT_TRUE(clock.sleepUntil(start + 90s, {}));
  EXPECT_EQ(clock.steadyNow() - start, 90s);
  EXPECT_EQ(clock.now() - wallBefore, 90s);
}

TEST(ManualClockTest, ItNeverGoesBack) {
  ManualClock clock;
  const auto start = clock.now();
  clock.moveTo(start + 1h);
  clock.moveTo(start + 30min);
  EXPECT_EQ(clock.now() - start, 1h);
  ASSERT_TRUE(clock.sleepUntil(clock.steadyNow() - 5min, {}));
  EXPECT_EQ(clock.now() - start, 1h);
}

TEST(ManualClockTest, AStoppedSleepDoesNotMoveIt) {
  ManualClock clock;
  std::stop_source stop;
  stop.request_stop();
  const auto start = clock.now();
  EXPECT_FALSE(clock.sleepUntil(clock.steadyNow() + 1h, stop.get_token()));
  EXPECT_EQ(clock.now(), start);
}

TEST(SystemClockTest, AStopEndsASleepEarly) {
  const auto& clock = opflow::engine::systemClock();
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);
    stop.request_stop();
  });
  EXPECT_FALSE(clock.sleepUntil(clock.steadyNow() + 1h, stop.get_token()));
  stopper.join();
}

TEST(ManualClockTest, APricingJobOnItTakesSimulatedTime) {
  ManualClock clock;
  opflow::pricing::PricingService service({60.0, 0.0}, clock);
  const auto start = clock.now();
  auto outcome = service.calculate({opflow::pricing::Material::Petg, 100.0, 3, false}, std::nullopt, {}, {});
  ASSERT_TRUE(outcome) << outcome.error().describe();
  EXPECT_EQ(outcome->status, opflow::pricing::PricingStatus::Priced);
  // 182 s of work at speed factor 60, on the manual clock: about 3 s of it, none waited.
  EXPECT_NEAR(std::chrono::duration<double>(clock.now() - start).count(), 182.0 / 60.0, 0.05);
  EXPECT_NEAR(static_cast<double>(outcome->elapsed.count()), 182000.0 / 60.0, 50.0);
}

} // namespace
