// The audit chain's hashing, shared by appending and verification (private to core/store).
#pragma once

#include <string>
#include <string_view>

namespace opflow::store::detail {

// The prev_hash of the first entry.
inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// Lower-case hex SHA-256 over the previous hash followed by the entry's canonical JSON.
[[nodiscard]] std::string chainHash(std::string_view prevHash, std::string_view canonical);

} // namespace opflow::store::detail
