// The price model and the pricing job's plan: materials, breakdown, rush, quantity and
// the job's durations and phases.
#include "opflow/pricing/PriceModel.h"
#include "opflow/pricing/PricingJob.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>

namespace opflow::pricing {
namespace {

using ::testing::ElementsAre;
using namespace std::chrono_literals;

constexpr Material kAllMaterials[] = {Material::Pla,   Material::Petg,  Material::Abs,
                                      Material::Resin, Material::Nylon, Material::Steel};

PriceQuote quoteOf(PriceRequest request) {
  auto quote = quotePrice(request);
  EXPECT_TRUE(quote.ok()) << quote.error().describe();
  return quote.ok() ? quote.value() : PriceQuote{};
}

std::int64_t lineCents(const PriceQuote& quote, const std::string& item) {
  for (const PriceLine& line : quote.lines) {
    if (line.item == item) {
      return line.cents;
    }
  }
  ADD_FAILURE() << "no line " << item;
  return 0;
}

std::vector<std::string> itemsOf(const PriceQuote& quote) {
  std::vector<std::string> items;
  for (const PriceLine& line : quote.lines) {
    items.push_back(line.item);
  }
  return items;
}

TEST(PriceModelTest, MaterialsParseWithoutRegardToCaseAndUnknownOnesAreNamed) {
  for (Material material : kAllMaterials) {
    auto parsed = parseMaterial(toString(material));
    ASSERT_TRUE(parsed.ok()) << toString(material);
    EXPECT_EQ(*parsed, material);
  }
  auto lower = parseMaterial("petg");
  ASSERT_TRUE(lower.ok());
  EXPECT_EQ(*lower, Material::Petg);
  auto wood = parseMaterial("WOOD");
  ASSERT_FALSE(wood.ok());
  EXPECT_EQ(wood.error().code, ErrorCode::InvalidArgument);
  EXPECT_THAT(wood.error().message, ::testing::HasSubstr("PLA, PETG, ABS, RESIN, NYLON, STEEL"));
}

TEST(PriceModelTest, PetgPartIsSetupMaterialAndMachineTime) {
  // PETG: set-up EUR 12, EUR 0.14/cm3, 10 cm3/h at EUR 3.50/h.
  PriceQuote quote = quoteOf({Material::Petg, 100.0, 1, false});
  EXPECT_THAT(itemsOf(quote), ElementsAre("setup", "material", "machine_time"));
  EXPECT_EQ(lineCents(quote, "setup"), 1200);
  EXPECT_EQ(lineCents(quote, "material"), 1400);
  EXPECT_EQ(lineCents(quote, "machine_time"), 3500);
  EXPECT_EQ(quote.cents, 6100);
  EXPECT_EQ(quote.currency, "EUR");
  EXPECT_EQ(quote.lines[1].label, "PETG: 100.0 cm3 x 1 at EUR 0.14/cm3");
  EXPECT_EQ(quote.lines[2].label, "FDM machine time: 10.0 h at EUR 3.50/h");
}

TEST(PriceModelTest, BreakdownAlwaysAddsUpToTheTotal) {
  for (Material material : kAllMaterials) {
    for (double volume : {0.5, 12.34, 100.0, 987.65, 40'000.0}) {
      for (std::int64_t quantity : {1, 9, 10, 55, 250}) {
        for (bool rush : {false, true}) {
          PriceQuote quote = quoteOf({material, volume, quantity, rush});
          std::int64_t sum = 0;
          for (const PriceLine& line : quote.lines) {
            sum += line.cents;
            EXPECT_FALSE(line.label.empty());
          }
          EXPECT_EQ(sum, quote.cents) << toString(material) << " " << volume << " x" << quantity;
          EXPECT_GT(quote.cents, 0);
        }
      }
    }
  }
}

TEST(PriceModelTest, MaterialsRangeFromPlaToSteel) {
  std::int64_t pla = quoteOf({Material::Pla, 50.0, 1, false}).cents;
  std::int64_t steel = quoteOf({Material::Steel, 50.0, 1, false}).cents;
  for (Material material : kAllMaterials) {
    std::int64_t cents = quoteOf({material, 50.0, 1, false}).cents;
    EXPECT_GE(cents, pla) << toString(material);
    EXPECT_LE(cents, steel) << toString(material);
  }
  EXPECT_GT(steel, 10 * pla);
}

TEST(PriceModelTest, RushAddsItsSurchargeOnEverythingElse) {
  PriceQuote normal = quoteOf({Material::Resin, 80.0, 3, false});
  PriceQuote rushed = quoteOf({Material::Resin, 80.0, 3, true});
  EXPECT_EQ(itemsOf(rushed).back(), "rush");
  EXPECT_EQ(lineCents(rushed, "rush"), std::llround(static_cast<double>(normal.cents) * kRushSurchargePercent / 100.0));
  EXPECT_EQ(rushed.cents, normal.cents + lineCents(rushed, "rush"));
  EXPECT_EQ(rushed.lines[rushed.lines.size() - 1].label, "Rush surcharge 50%");
}

TEST(PriceModelTest, QuantityMultipliesThePartsChargesTheSetupOnceAndEarnsADiscount) {
  PriceQuote one = quoteOf({Material::Nylon, 20.0, 1, false});
  PriceQuote nine = quoteOf({Material::Nylon, 20.0, 9, false});
  PriceQuote ten = quoteOf({Material::Nylon, 20.0, 10, false});
  PriceQuote fifty = quoteOf({Material::Nylon, 20.0, 50, false});
  PriceQuote twoHundred = quoteOf({Material::Nylon, 20.0, 200, false});
  EXPECT_EQ(lineCents(ten, "setup"), lineCents(one, "setup"));
  EXPECT_EQ(lineCents(ten, "material"), 10 * lineCents(one, "material"));
  EXPECT_EQ(lineCents(ten, "machine_time"), 10 * lineCents(one, "machine_time"));
  EXPECT_THAT(itemsOf(nine), ElementsAre("setup", "material", "machine_time"));
  auto discountOf = [&](const PriceQuote& quote) {
    return static_cast<double>(-lineCents(quote, "quantity_discount")) /
           static_cast<double>(lineCents(quote, "material") + lineCents(quote, "machine_time"));
  };
  EXPECT_NEAR(discountOf(ten), 0.05, 1e-3);
  EXPECT_NEAR(discountOf(fifty), 0.10, 1e-3);
  EXPECT_NEAR(discountOf(twoHundred), 0.15, 1e-3);
  EXPECT_LT(ten.cents, 10 * one.cents);
}

TEST(PriceModelTest, ImpossibleRequestsAreRefused) {
  for (double volume : {0.0, -5.0, kMaxVolumeCm3 + 1.0, std::numeric_limits<double>::quiet_NaN(),
                        std::numeric_limits<double>::infinity()}) {
    auto quote = quotePrice({Material::Pla, volume, 1, false});
    ASSERT_FALSE(quote.ok()) << volume;
    EXPECT_EQ(quote.error().code, ErrorCode::InvalidArgument);
    EXPECT_THAT(quote.error().message, ::testing::HasSubstr("volume"));
  }
  for (std::int64_t quantity : {std::int64_t{0}, std::int64_t{-1}, kMaxQuantity + 1}) {
    auto quote = quotePrice({Material::Pla, 10.0, quantity, false});
    ASSERT_FALSE(quote.ok()) << quantity;
    EXPECT_THAT(quote.error().message, ::testing::HasSubstr("quantity"));
  }
}

TEST(PricingJobTest, TypicalPartsTakeTwoToThreeMinutesAndHugeOnesTwentyFive) {
  for (double volume : {10.0, 50.0, 100.0}) {
    JobPlan plan = planJob({Material::Petg, volume, 1, false});
    EXPECT_GE(plan.duration, 2min) << volume;
    EXPECT_LE(plan.duration, 3min) << volume;
  }
  EXPECT_EQ(planJob({Material::Pla, 50.0, 1, false}).duration, 150s); // 120 s + 0.6 s x 50
  EXPECT_LT(planJob({Material::Pla, 100.0, 1, false}).duration, planJob({Material::Pla, 1000.0, 1, false}).duration);
  EXPECT_LT(planJob({Material::Pla, 100.0, 1, false}).duration, planJob({Material::Steel, 100.0, 1, false}).duration);
  EXPECT_EQ(planJob({Material::Steel, 5000.0, 1, false}).duration, 25min);
  EXPECT_EQ(planJob({Material::Pla, kMaxVolumeCm3, kMaxQuantity, true}).duration, kMaxJobDuration);
}

TEST(PricingJobTest, PhasesComeInOrderAndCoverTheJob) {
  JobPlan plan = planJob({Material::Resin, 123.4, 7, true});
  std::vector<std::string> names;
  std::chrono::milliseconds total{0};
  double fraction = 0.0;
  for (const JobPhase& phase : plan.phases) {
    names.push_back(phase.name);
    EXPECT_DOUBLE_EQ(phase.startFraction, fraction);
    EXPECT_GT(phase.endFraction, phase.startFraction);
    EXPECT_GT(phase.duration.count(), 0);
    EXPECT_FALSE(phase.label.empty());
    fraction = phase.endFraction;
    total += phase.duration;
  }
  EXPECT_THAT(names, ElementsAre("mesh_analysis", "support_generation", "slicing", "machine_time", "quote"));
  EXPECT_DOUBLE_EQ(fraction, 1.0);
  EXPECT_EQ(total, plan.duration);
}

} // namespace
} // namespace opflow::pricing
