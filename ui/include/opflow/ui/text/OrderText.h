// How the console writes an order's values: status names ("Priced"), counts with digit
// grouping ("12,345"), prices, priorities and times. Numbers follow the default locale,
// grouped as in English where it is the C locale (a container's), so they stay readable.
// Thread-safety: free functions; call them from any thread.
#pragma once

#include "opflow/domain/OrderStatus.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace opflow::ui {

// The short name chips and lists show: "Initiated", "Uploaded", "Priced", "In production".
[[nodiscard]] QString orderStatusName(domain::OrderStatus status);
// "Low", "Normal", "High", "Urgent" for 0..3.
[[nodiscard]] QString orderPriorityName(int priority);
// 1234567 -> "1,234,567".
[[nodiscard]] QString countText(std::int64_t count);
// 123456 cents -> "1,234.56"; empty when there is no price yet.
[[nodiscard]] QString priceText(std::optional<std::int64_t> cents);
// UTC milliseconds -> local "2026-11-23 14:05".
[[nodiscard]] QString orderTimeText(std::int64_t utcMs);

} // namespace opflow::ui
