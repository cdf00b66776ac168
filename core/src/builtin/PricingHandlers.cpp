#include "opflow/builtin/PricingHandlers.h"

#include <fmt/format.h>

#include <cmath>
#include <memory>

namespace opflow::builtin {

namespace {

using engine::HandlerEffects;
using engine::HandlerInput;
using engine::HandlerResult;

Error badArgument(const std::string& message) {
  return makeError(ErrorCode::InvalidArgument, "pricing.calculate needs " + message);
}

Result<pricing::PriceRequest> requestOf(const Json& args) {
  pricing::PriceRequest request;
  const Json material = args.value("material", Json());
  if (!material.is_string()) {
    return badArgument("`with.material`: one of PLA, PETG, ABS, RESIN, NYLON, STEEL");
  }
  auto parsed = pricing::parseMaterial(material.get<std::string>());
  if (!parsed) {
    return parsed.error();
  }
  request.material = *parsed;
  const Json volume = args.value("volume_cm3", Json());
  if (!volume.is_number()) {
    return badArgument("`with.volume_cm3`: the part's volume in cm3 (a number)");
  }
  request.volumeCm3 = volume.get<double>();
  const Json quantity = args.value("quantity", Json(1));
  if (!quantity.is_number_integer()) {
    return badArgument("`with.quantity`: how many parts (an integer)");
  }
  request.quantity = quantity.get<std::int64_t>();
  const Json rush = args.value("rush", Json(false));
  if (!rush.is_boolean()) {
    return badArgument("`with.rush`: true or false");
  }
  request.rush = rush.get<bool>();
  if (Status valid = pricing::validate(request); !valid) {
    return valid.error();
  }
  return request;
}

Result<std::chrono::milliseconds> timeoutOf(const Json& args) {
  const Json timeout = args.value("timeout_s", Json(kDefaultPricingTimeoutS));
  if (!timeout.is_number() || !std::isfinite(timeout.get<double>()) || timeout.get<double>() <= 0.0) {
    return badArgument("`with.timeout_s`: seconds (more than 0) after which the calculation gives up");
  }
  return std::chrono::milliseconds(std::llround(timeout.get<double>() * 1000.0));
}

Json priceJson(const pricing::PricingOutcome& outcome) {
  Json breakdown = Json::array();
  for (const pricing::PriceLine& line : outcome.quote.lines) {
    breakdown.push_back(Json{{"item", line.item}, {"label", line.label}, {"cents", line.cents}});
  }
  return Json{{"cents", outcome.quote.cents},
              {"currency", outcome.quote.currency},
              {"breakdown", std::move(breakdown)},
              {"duration_ms", outcome.elapsed.count()}};
}

HandlerResult calculate(pricing::PricingService& service, const HandlerInput& in, HandlerEffects& fx) {
  auto request = requestOf(in.args);
  if (!request) {
    return request.error();
  }
  auto timeout = timeoutOf(in.args);
  if (!timeout) {
    return timeout.error();
  }
  auto outcome = service.calculate(*request, *timeout, in.stopToken,
                                   [&fx](double fraction, const std::string& message) { fx.progress(fraction, message); });
  if (!outcome) {
    return outcome.error();
  }
  switch (outcome->status) {
  case pricing::PricingStatus::Priced: fx.set("price", priceJson(*outcome)); return std::string();
  case pricing::PricingStatus::Failed: fx.set("pricing_error", outcome->error); return std::string("failed");
  case pricing::PricingStatus::TimedOut: fx.set("pricing_error", outcome->error); return std::string("timeout");
  case pricing::PricingStatus::Cancelled: break;
  }
  const Json order = in.args.value("order", Json());
  return makeError(ErrorCode::Conflict,
                   fmt::format("the price calculation of order {} was cancelled",
                               order.is_string() ? order.get<std::string>() : order.dump()));
}

} // namespace

Status registerPricingHandlers(engine::HandlerRegistry& registry, pricing::PricingService* service) {
  std::shared_ptr<pricing::PricingService> owned;
  if (!service) {
    owned = std::make_shared<pricing::PricingService>();
    service = owned.get();
  }
  return registry.add({"pricing.calculate",
                       {"failed", "timeout"},
                       true,
                       "Calculates an order's price (a long job with progress); \"failed\" is transient, "
                       "\"timeout\" ran past timeout_s.",
                       // `owned` keeps the default service alive as long as the handler.
                       [service, owned](const HandlerInput& in, HandlerEffects& fx) {
                         return calculate(*service, in, fx);
                       }});
}

} // namespace opflow::builtin
