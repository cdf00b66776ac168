// The pricing worker: its phases and progress, its deterministic transient failures, its
// timeout and its stop token. A large speed factor makes each job take milliseconds.
#include "opflow/pricing/PricingService.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace opflow::pricing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr double kFast = 100'000.0; // a 150 s job in 1.5 ms

const PriceRequest kPart{Material::Pla, 50.0, 1, false};

struct Recorded {
  std::vector<std::pair<double, std::string>> reports;

  // The messages in order, each once.
  [[nodiscard]] std::vector<std::string> messages() const {
    std::vector<std::string> result;
    for (const auto& [fraction, message] : reports) {
      if (result.empty() || result.back() != message) {
        result.push_back(message);
      }
    }
    return result;
  }
};

PricingOutcome calculate(PricingService& service, const PriceRequest& request, Recorded& recorded,
                         std::optional<std::chrono::milliseconds> timeout = std::nullopt, std::stop_token stop = {}) {
  auto outcome = service.calculate(request, timeout, std::move(stop), [&](double fraction, const std::string& message) {
    recorded.reports.emplace_back(fraction, message);
  });
  EXPECT_TRUE(outcome.ok()) << outcome.error().describe();
  return outcome.ok() ? outcome.value() : PricingOutcome{};
}

TEST(PricingServiceTest, ReportsEachPhaseInOrderThenTheQuote) {
  PricingService service({.speedFactor = kFast});
  Recorded recorded;
  PricingOutcome outcome = calculate(service, kPart, recorded);

  ASSERT_EQ(outcome.status, PricingStatus::Priced);
  EXPECT_EQ(outcome.quote.cents, quotePrice(kPart)->cents);
  EXPECT_THAT(recorded.messages(),
              ElementsAre("Analysing the mesh", "Generating supports", "Slicing", "Computing material and machine time",
                          "Preparing the quote", "Quote ready: EUR 32.58"));
  double last = 0.0;
  for (const auto& [fraction, message] : recorded.reports) {
    EXPECT_GE(fraction, last) << message;
    last = fraction;
  }
  EXPECT_DOUBLE_EQ(recorded.reports.front().first, 0.0);
  EXPECT_DOUBLE_EQ(recorded.reports.back().first, 1.0);
}

TEST(PricingServiceTest, AHalfFailureRateFailsEveryOtherCalculationHalfwayThroughSlicing) {
  PricingService service({.speedFactor = kFast, .failureRate = 0.5});
  std::vector<PricingStatus> statuses;
  for (int i = 0; i < 4; ++i) {
    Recorded recorded;
    PricingOutcome outcome = calculate(service, kPart, recorded);
    statuses.push_back(outcome.status);
    if (outcome.status == PricingStatus::Failed) {
      EXPECT_THAT(outcome.error, HasSubstr("Slicing"));
      EXPECT_THAT(outcome.error, HasSubstr("transient"));
      EXPECT_EQ(recorded.messages().back(), "Slicing");
    }
  }
  EXPECT_THAT(statuses, ElementsAre(PricingStatus::Priced, PricingStatus::Failed, PricingStatus::Priced,
                                    PricingStatus::Failed));
}

TEST(PricingServiceTest, AQuarterFailureRateFailsEveryFourthCalculation) {
  PricingService service({.speedFactor = kFast, .failureRate = 0.25});
  std::vector<int> failed;
  for (int n = 1; n <= 9; ++n) {
    Recorded recorded;
    if (calculate(service, kPart, recorded).status == PricingStatus::Failed) {
      failed.push_back(n);
    }
  }
  EXPECT_THAT(failed, ElementsAre(4, 8));
}

TEST(PricingServiceTest, FailureRateOneFailsEveryCalculationAndZeroNone) {
  PricingService failing({.speedFactor = kFast, .failureRate = 1.0});
  PricingService sound({.speedFactor = kFast});
  for (int i = 0; i < 3; ++i) {
    Recorded recorded;
    EXPECT_EQ(calculate(failing, kPart, recorded).status, PricingStatus::Failed);
    EXPECT_EQ(calculate(sound, kPart, recorded).status, PricingStatus::Priced);
  }
}

TEST(PricingServiceTest, AJobLongerThanItsTimeoutTimesOut) {
  PricingService service({.speedFactor = kFast});
  Recorded recorded;
  PricingOutcome outcome = calculate(service, kPart, recorded, 30s); // the job takes 150 s
  EXPECT_EQ(outcome.status, PricingStatus::TimedOut);
  EXPECT_THAT(outcome.error, HasSubstr("30 s timeout"));
  EXPECT_THAT(recorded.messages(), ElementsAre("Analysing the mesh", "Generating supports"));

  Recorded inTime;
  EXPECT_EQ(calculate(service, kPart, inTime, 151s).status, PricingStatus::Priced);
}

TEST(PricingServiceTest, AStopMidCalculationEndsItAtOnce) {
  // At speed factor 1 the job would take 150 s: it ends only because it is stopped.
  PricingService service;
  std::stop_source stop;
  Recorded recorded;
  auto outcome = service.calculate(kPart, std::nullopt, stop.get_token(), [&](double fraction, const std::string& message) {
    recorded.reports.emplace_back(fraction, message);
    stop.request_stop();
  });
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->status, PricingStatus::Cancelled);
  EXPECT_THAT(recorded.messages(), ElementsAre("Analysing the mesh"));
}

TEST(PricingServiceTest, AnInvalidRequestIsAnErrorBeforeAnyWork) {
  PricingService service({.speedFactor = kFast});
  Recorded recorded;
  auto outcome = service.calculate({Material::Steel, -1.0, 1, false}, std::nullopt, {},
                                   [&](double fraction, const std::string& message) {
                                     recorded.reports.emplace_back(fraction, message);
                                   });
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code, ErrorCode::InvalidArgument);
  EXPECT_TRUE(recorded.reports.empty());
}

TEST(PricingServiceTest, OptionsOutsideTheirRangeAreCorrected) {
  EXPECT_DOUBLE_EQ(PricingService({.speedFactor = 0.0}).options().speedFactor, 1.0);
  EXPECT_DOUBLE_EQ(PricingService({.speedFactor = -3.0}).options().speedFactor, 1.0);
  EXPECT_DOUBLE_EQ(PricingService({.failureRate = 2.0}).options().failureRate, 1.0);
  EXPECT_DOUBLE_EQ(PricingService({.failureRate = -1.0}).options().failureRate, 0.0);
}

} // namespace
} // namespace opflow::pricing
