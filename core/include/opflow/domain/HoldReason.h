// HoldReason: why an order is paused. A hold keeps the order's status; while it holds,
// no status move is accepted. The codes are a fixed list (the store's CHECK matches it).
// Thread-safety: pure functions over constant tables.
#pragma once

#include "opflow/Result.h"

#include <span>
#include <string_view>

namespace opflow::domain {

enum class HoldReason { MaterialShortage, CustomerRequest, QualityCheck, Payment, MachineDown };

[[nodiscard]] std::span<const HoldReason> allHoldReasons();
// "MATERIAL_SHORTAGE", ...
[[nodiscard]] const char* toString(HoldReason reason);
// The error names the bad value and lists the valid codes.
[[nodiscard]] Result<HoldReason> parseHoldReason(std::string_view text);

} // namespace opflow::domain
