// Settings: per-database knobs, key and JSON value (table settings, migration 5), such
// as the password cost (UserStore) or the pricing worker's speed factor and failure rate
// (the demo shop runs its price calculations in seconds). readSetting/writeSetting work
// inside the caller's transaction; a write is the caller's to audit ("settings.changed").
// Thread-safety: free functions on the caller's connection.
#pragma once

#include "opflow/Json.h"
#include "opflow/store/Database.h"

#include <optional>
#include <string_view>

namespace opflow::store {

namespace setting {
constexpr std::string_view kPricingSpeedFactor = "pricing.speed_factor"; // number > 0, 1 = real time
constexpr std::string_view kPricingFailureRate = "pricing.failure_rate"; // number in [0, 1]
} // namespace setting

// The value, or nullopt when the key is not set.
[[nodiscard]] Result<std::optional<Json>> readSetting(Database& db, std::string_view key);
[[nodiscard]] Status writeSetting(Database& db, std::string_view key, const Json& value);

} // namespace opflow::store
