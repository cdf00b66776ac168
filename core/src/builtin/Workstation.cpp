#include "opflow/builtin/Workstation.h"

#include "opflow/store/Settings.h"

#include <fmt/format.h>

namespace opflow::builtin {

namespace {

Result<std::optional<double>> numberSetting(store::Database& db, std::string_view key) {
  auto value = store::readSetting(db, key);
  if (!value) {
    return value.error();
  }
  if (!*value) {
    return std::optional<double>();
  }
  if (!(*value)->is_number()) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("setting \"{}\" must be a number, not {}", key, (*value)->dump()));
  }
  return std::optional<double>((*value)->get<double>());
}

} // namespace

Result<std::unique_ptr<Workstation>> Workstation::open(store::LocalStore& store, const engine::Clock& clock) {
  pricing::PricingOptions options;
  auto reader = store.readers().acquire();
  if (!reader) {
    return reader.error();
  }
  auto speed = numberSetting(**reader, store::setting::kPricingSpeedFactor);
  if (!speed) {
    return speed.error();
  }
  auto failures = numberSetting(**reader, store::setting::kPricingFailureRate);
  if (!failures) {
    return failures.error();
  }
  options.speedFactor = speed->value_or(options.speedFactor);
  options.failureRate = failures->value_or(options.failureRate);
  std::unique_ptr<Workstation> workstation(new Workstation(store));
  workstation->m_pricing = std::make_unique<pricing::PricingService>(options, clock);
  return workstation;
}

} // namespace opflow::builtin
