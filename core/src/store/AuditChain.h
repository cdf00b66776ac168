// The audit chain's hashing and canonical form, shared by appending and verification
// (private to core/store). Verification rebuilds the canonical JSON from the stored
// columns without parsing them: before/after are embedded as the compact JSON text that
// appendAudit stored (nlohmann's dump), so the bytes hashed are the bytes appended.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace opflow::store::detail {

// The prev_hash of the first entry.
inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// An entry's hashed fields as views (of an AuditEntry, or of a row being read).
struct CanonicalFields {
  std::int64_t seq = 0;
  std::string_view id;
  std::int64_t atMs = 0;
  std::string_view user;
  std::string_view role;
  std::string_view workstation;
  std::string_view correlationId;
  std::string_view action;
  std::string_view subjectType;
  std::string_view subjectId;
  std::string_view orderNumber;
  std::string_view beforeJson; // compact JSON text; a view without data (nullptr) for null
  std::string_view afterJson;
  std::string_view reason;
};

// Appends the canonical JSON (keys in byte order, no whitespace) to `out`.
void appendCanonical(std::string& out, const CanonicalFields& fields);

// Appends `text` as a JSON string exactly as nlohmann's dump() writes it (UTF-8 kept,
// control characters escaped); invalid UTF-8 is replaced by U+FFFD instead of throwing.
void appendJsonString(std::string& out, std::string_view text);

// Lower-case hex SHA-256 over the previous hash followed by the entry's canonical JSON.
[[nodiscard]] std::string chainHash(std::string_view prevHash, std::string_view canonical);
// chainHash(prevHash, canonical) == expectedHex, without allocating (verification's loop).
[[nodiscard]] bool chainHashEquals(std::string_view prevHash, std::string_view canonical, std::string_view expectedHex);

} // namespace opflow::store::detail
