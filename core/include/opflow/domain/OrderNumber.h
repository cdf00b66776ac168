// OrderNumber: how orders are numbered ("ORD-" and at least six digits: ORD-000123) and
// what a barcode scanner typed means. A scanner in keyboard-wedge mode types the order's
// digits ("000123", or a label's "ORD-000123"); people type "123". All of these name
// ORD-000123.
// Thread-safety: pure functions.
#pragma once

#include "opflow/Result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace opflow::domain {

// "ORD-000123" for 123; more digits when needed ("ORD-1000000").
[[nodiscard]] std::string formatOrderNumber(std::int64_t sequence);

// The order number a scan or a typed entry names: digits (leading zeros allowed), or the
// same after "ORD-" (any case); surrounding spaces are ignored. InvalidArgument naming
// the scan when it is anything else, or zero.
[[nodiscard]] Result<std::string> parseScannedOrderNumber(std::string_view scan);

} // namespace opflow::domain
