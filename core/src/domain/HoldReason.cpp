#include "opflow/domain/HoldReason.h"

#include <fmt/format.h>

#include <array>

namespace opflow::domain {

namespace {

constexpr std::array kReasons{HoldReason::MaterialShortage, HoldReason::CustomerRequest, HoldReason::QualityCheck,
                              HoldReason::Payment, HoldReason::MachineDown};
constexpr std::array kNames{"MATERIAL_SHORTAGE", "CUSTOMER_REQUEST", "QUALITY_CHECK", "PAYMENT", "MACHINE_DOWN"};

} // namespace

std::span<const HoldReason> allHoldReasons() { return kReasons; }

const char* toString(HoldReason reason) { return kNames.at(static_cast<std::size_t>(reason)); }

Result<HoldReason> parseHoldReason(std::string_view text) {
  std::string valid;
  for (HoldReason reason : kReasons) {
    if (text == toString(reason)) {
      return reason;
    }
    valid += valid.empty() ? "" : ", ";
    valid += toString(reason);
  }
  return makeError(ErrorCode::InvalidArgument, fmt::format("unknown hold reason \"{}\" (valid: {})", text, valid));
}

} // namespace opflow::domain
