#include "opflow/pricing/PriceModel.h"

#include <fmt/format.h>

#include <cmath>

namespace opflow::pricing {

namespace {

std::int64_t roundCents(double cents) { return static_cast<std::int64_t>(std::llround(cents)); }

std::string euros(double cents) { return fmt::format("EUR {:.2f}", cents / 100.0); }

int quantityDiscountPercent(std::int64_t quantity) {
  if (quantity >= 200) {
    return 15;
  }
  if (quantity >= 50) {
    return 10;
  }
  return quantity >= 10 ? 5 : 0;
}

} // namespace

Status validate(const PriceRequest& request) {
  if (!std::isfinite(request.volumeCm3) || request.volumeCm3 <= 0.0 || request.volumeCm3 > kMaxVolumeCm3) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("the part's volume must be more than 0 and at most {} cm3 (got {})", kMaxVolumeCm3,
                                 request.volumeCm3));
  }
  if (request.quantity < 1 || request.quantity > kMaxQuantity) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("the quantity must be from 1 to {} (got {})", kMaxQuantity, request.quantity));
  }
  return {};
}

Result<PriceQuote> quotePrice(const PriceRequest& request) {
  if (Status valid = validate(request); !valid) {
    return valid.error();
  }
  const MaterialRates& rates = ratesOf(request.material);
  const double parts = static_cast<double>(request.quantity);
  const double totalCm3 = request.volumeCm3 * parts;
  const double machineHours = totalCm3 / rates.cm3PerHour;

  PriceQuote quote;
  quote.lines.push_back({"setup", fmt::format("Set-up of the {} job", rates.process), rates.setupCents});
  quote.lines.push_back(
      {"material",
       fmt::format("{}: {:.1f} cm3 x {} at {}/cm3", toString(request.material), request.volumeCm3, request.quantity,
                   euros(static_cast<double>(rates.centsPerCm3))),
       roundCents(totalCm3 * static_cast<double>(rates.centsPerCm3))});
  quote.lines.push_back({"machine_time",
                         fmt::format("{} machine time: {:.1f} h at {}/h", rates.process, machineHours,
                                     euros(static_cast<double>(rates.machineCentsPerHour))),
                         roundCents(machineHours * static_cast<double>(rates.machineCentsPerHour))});
  if (int percent = quantityDiscountPercent(request.quantity); percent > 0) {
    std::int64_t perPart = quote.lines[1].cents + quote.lines[2].cents;
    quote.lines.push_back({"quantity_discount",
                           fmt::format("Quantity discount {}% ({} parts)", percent, request.quantity),
                           -roundCents(static_cast<double>(perPart * percent) / 100.0)});
  }
  std::int64_t subtotal = 0;
  for (const PriceLine& line : quote.lines) {
    subtotal += line.cents;
  }
  if (request.rush) {
    quote.lines.push_back({"rush", fmt::format("Rush surcharge {}%", kRushSurchargePercent),
                           roundCents(static_cast<double>(subtotal * kRushSurchargePercent) / 100.0)});
  }
  for (const PriceLine& line : quote.lines) {
    quote.cents += line.cents;
  }
  return quote;
}

} // namespace opflow::pricing
