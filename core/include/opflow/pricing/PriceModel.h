// The price of an order: from its material, part volume, quantity and rush flag, a quote
// in euro cents with one breakdown line per component. Every line is rounded to whole
// cents on its own and the total is their sum, so the breakdown always adds up.
//
//   set-up            once per job (build preparation, post-processing set-up)
//   material          volume x quantity x the material's rate per cm3
//   machine time      volume x quantity / the process's build rate x the machine's hourly rate
//   quantity discount on material and machine time: 5% from 10 parts, 10% from 50, 15% from 200
//   rush surcharge    50% of everything above, when rushed
//
// Thread-safety: pure functions on value types.
#pragma once

#include "opflow/Result.h"
#include "opflow/pricing/Material.h"

#include <cstdint>
#include <string>
#include <vector>

namespace opflow::pricing {

inline constexpr double kMaxVolumeCm3 = 100'000.0; // 100 litres: larger parts are quoted by hand
inline constexpr std::int64_t kMaxQuantity = 10'000;
inline constexpr int kRushSurchargePercent = 50;

struct PriceRequest {
  Material material = Material::Pla;
  double volumeCm3 = 0.0; // of one part
  std::int64_t quantity = 1;
  bool rush = false;
};

struct PriceLine {
  std::string item;  // "setup", "material", "machine_time", "quantity_discount", "rush"
  std::string label; // what the customer reads: "PETG: 120.0 cm3 x 3 at EUR 0.14/cm3"
  std::int64_t cents = 0; // negative for a discount
};

struct PriceQuote {
  std::int64_t cents = 0; // the sum of the lines
  std::string currency = "EUR";
  std::vector<PriceLine> lines;
};

// InvalidArgument when the volume is not in (0, kMaxVolumeCm3] or the quantity not in
// [1, kMaxQuantity].
[[nodiscard]] Status validate(const PriceRequest& request);
[[nodiscard]] Result<PriceQuote> quotePrice(const PriceRequest& request);

} // namespace opflow::pricing
