// Reading audit rows, shared by queries, export and verification (private to core/store).
#pragma once

#include "opflow/store/AuditLog.h"

#include <functional>
#include <string>
#include <string_view>

namespace opflow::store::detail {

// The columns of every audit read, in this order (indexes 0..15).
inline constexpr const char* kAuditColumns =
    "seq, id, at_ms, user, role, workstation, correlation_id, action, subject_type, subject_id, order_number, "
    "before, after, reason, prev_hash, hash";

// Visits the rows matching the query in seq order (query.limit applies when applyLimit).
[[nodiscard]] Status forEachAuditRow(Database& db, const AuditQuery& query, bool applyLimit,
                                     const std::function<Status(const Statement&)>& visit);

// The entry of a row selected with kAuditColumns.
[[nodiscard]] AuditEntry readAuditEntry(const Statement& row);

// Appends `text` as one CSV field (RFC 4180: quoted when it holds a comma, quote, CR or
// LF; quotes doubled).
void appendCsvField(std::string& out, std::string_view text);

} // namespace opflow::store::detail
