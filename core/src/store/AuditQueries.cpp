// Reading the audit chain: filtered queries and streaming export.
//
// Every query returns entries in chain (seq) order, or newest first, and pages by seq
// (keyset, never OFFSET). Equality filters (user, action, order number, correlation id)
// use the single-column indexes, which SQLite keeps in (column, seq) order, so "user = ?
// AND seq > ? ORDER BY seq LIMIT n" is one index range with no sort (walked backwards
// for newest first). A time range becomes a seq range first: appendAudit never gives an
// entry an earlier time than the one before it, so the entries in [since, until) are a
// contiguous run of seqs, found with two lookups in audit_by_time. The time terms stay in
// the WHERE clause as a check (with "+" so that SQLite does not choose them over the seq
// range and then sort).
#include "opflow/store/AuditLog.h"

#include "AuditRows.h"
#include "opflow/store/UtcTime.h"

#include <fmt/format.h>

#include <limits>
#include <ostream>

namespace opflow::store {

namespace {

// The first seq at or after a time, or nullopt when every entry is earlier.
Result<std::optional<std::int64_t>> firstSeqAtOrAfter(Database& db, std::int64_t atMs) {
  auto statement = db.prepare("SELECT seq FROM audit WHERE at_ms >= ? ORDER BY at_ms, seq LIMIT 1");
  if (!statement) {
    return statement.error();
  }
  (*statement)->bind(1, atMs);
  auto row = (*statement)->step();
  if (!row) {
    return row.error();
  }
  if (!*row) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>((*statement)->int64(0));
}

} // namespace

Status detail::forEachAuditRow(Database& db, const AuditQuery& query, bool applyLimit,
                               const std::function<Status(const Statement&)>& visit) {
  if (query.sinceMs && query.untilMs && *query.untilMs <= *query.sinceMs) {
    return {};
  }
  std::int64_t lowSeq = query.afterSeq; // exclusive
  std::int64_t highSeq = std::numeric_limits<std::int64_t>::max(); // exclusive
  if (query.beforeSeq > 0) {
    highSeq = query.beforeSeq;
  }
  if (query.sinceMs) {
    auto first = firstSeqAtOrAfter(db, *query.sinceMs);
    if (!first) {
      return first.error();
    }
    if (!*first) {
      return {}; // nothing that late
    }
    lowSeq = std::max(lowSeq, **first - 1);
  }
  if (query.untilMs) {
    auto first = firstSeqAtOrAfter(db, *query.untilMs);
    if (!first) {
      return first.error();
    }
    if (*first) {
      highSeq = std::min(highSeq, **first);
    }
  }
  // A bounded set of texts (one per combination of filters), so the cache stays small.
  std::string sql = fmt::format("SELECT {} FROM audit WHERE seq > ? AND seq < ?", kAuditColumns);
  if (!query.user.empty()) {
    sql += " AND user = ?";
  }
  if (!query.action.empty()) {
    sql += " AND action = ?";
  }
  if (!query.orderNumber.empty()) {
    sql += " AND order_number = ?";
  }
  if (!query.correlationId.empty()) {
    sql += " AND correlation_id = ?";
  }
  if (query.sinceMs) {
    sql += " AND +at_ms >= ?";
  }
  if (query.untilMs) {
    sql += " AND +at_ms < ?";
  }
  sql += query.newestFirst ? " ORDER BY seq DESC LIMIT ?" : " ORDER BY seq LIMIT ?";

  auto statement = db.prepare(sql);
  if (!statement) {
    return statement.error();
  }
  Statement& select = **statement;
  select.bind(1, lowSeq).bind(2, highSeq);
  int index = 3;
  for (const std::string* value : {&query.user, &query.action, &query.orderNumber, &query.correlationId}) {
    if (!value->empty()) {
      select.bind(index++, *value);
    }
  }
  if (query.sinceMs) {
    select.bind(index++, *query.sinceMs);
  }
  if (query.untilMs) {
    select.bind(index++, *query.untilMs);
  }
  const bool limited = applyLimit && query.limit > 0;
  select.bind(index, limited ? static_cast<std::int64_t>(query.limit) : std::int64_t{-1});

  while (true) {
    auto row = select.step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return {};
    }
    if (Status visited = visit(select); !visited) {
      return visited;
    }
  }
}

AuditEntry detail::readAuditEntry(const Statement& row) {
  AuditEntry entry;
  entry.seq = row.int64(0);
  entry.id = row.text(1);
  entry.atMs = row.int64(2);
  entry.user = row.text(3);
  entry.role = row.text(4);
  entry.workstation = row.text(5);
  entry.correlationId = row.text(6);
  entry.action = row.text(7);
  entry.subjectType = row.text(8);
  entry.subjectId = row.text(9);
  entry.orderNumber = row.text(10);
  for (auto [column, target] : {std::pair{11, &entry.before}, std::pair{12, &entry.after}}) {
    if (row.isNull(column)) {
      continue;
    }
    std::string_view text = row.textView(column);
    Json parsed = Json::parse(text, nullptr, false);
    // A stored value that is not JSON (only a tampered row) is shown as the text it is.
    *target = parsed.is_discarded() ? Json(std::string(text)) : std::move(parsed);
  }
  entry.reason = row.text(13);
  entry.prevHash = row.text(14);
  entry.hash = row.text(15);
  return entry;
}

Result<std::vector<AuditEntry>> queryAudit(Database& db, const AuditQuery& query) {
  std::vector<AuditEntry> entries;
  Status read = detail::forEachAuditRow(db, query, true, [&entries](const Statement& row) -> Status {
    entries.push_back(detail::readAuditEntry(row));
    return {};
  });
  if (!read) {
    return read.error();
  }
  return entries;
}

void detail::appendCsvField(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
}

namespace {

using detail::appendCsvField;

constexpr const char* kCsvHeader = "seq,id,at_ms,at,user,role,workstation,correlation_id,action,subject_type,"
                                   "subject_id,order_number,before,after,reason,prev_hash,hash\r\n";

void appendCsvRow(std::string& out, const Statement& row) {
  out += std::to_string(row.int64(0));
  out += ',';
  appendCsvField(out, row.textView(1));
  out += ',';
  out += std::to_string(row.int64(2));
  out += ',';
  out += formatUtcMs(row.int64(2));
  for (int column = 3; column <= 15; ++column) {
    out += ',';
    if (column == 11 || column == 12) {
      appendCsvField(out, row.isNull(column) ? std::string_view("null") : row.textView(column));
    } else {
      appendCsvField(out, row.textView(column));
    }
  }
  out += "\r\n";
}

} // namespace

Status exportAudit(Database& db, const AuditQuery& query, AuditExportFormat format, std::ostream& out) {
  std::string buffer;
  buffer.reserve(1 << 16);
  auto drain = [&buffer, &out]() -> Status {
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    buffer.clear();
    if (!out) {
      return makeError(ErrorCode::Io, "cannot write the export (disk full or output closed?)");
    }
    return {};
  };
  if (format == AuditExportFormat::Csv) {
    buffer += kCsvHeader;
  }
  Status read = detail::forEachAuditRow(db, query, false, [&](const Statement& row) -> Status {
    if (format == AuditExportFormat::Csv) {
      appendCsvRow(buffer, row);
    } else {
      buffer += toJson(detail::readAuditEntry(row)).dump(-1, ' ', false, Json::error_handler_t::replace);
      buffer += '\n';
    }
    return buffer.size() >= (1 << 16) ? drain() : Status{};
  });
  if (!read) {
    return read;
  }
  if (Status drained = drain(); !drained) {
    return drained;
  }
  out.flush();
  if (!out) {
    return makeError(ErrorCode::Io, "cannot write the export (disk full or output closed?)");
  }
  return {};
}

} // namespace opflow::store
