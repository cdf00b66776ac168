// UTC times as text. The store keeps every time as UTC milliseconds since the epoch; people
// and files see ISO-8601 ("2026-11-23T10:00:00.123Z"), and the CLI accepts either form.
// Thread-safety: pure functions.
#pragma once

#include "opflow/Result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace opflow::store {

// "2026-11-23T10:00:00.123Z".
[[nodiscard]] std::string formatUtcMs(std::int64_t ms);

// Accepts "2026-11-23", "2026-11-23T10:00Z", "2026-11-23T10:00:00Z", "2026-11-23T10:00:00.123Z"
// ("+00:00" in place of "Z" too), or milliseconds since the epoch ("1795428000000"). A time
// without a zone is refused rather than guessed.
[[nodiscard]] Result<std::int64_t> parseUtcTime(std::string_view text);

} // namespace opflow::store
