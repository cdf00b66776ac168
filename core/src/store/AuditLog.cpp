// Appending to the audit chain. The chain head (last seq, hash and time) is read inside
// the caller's transaction, so an append rolled back with its transaction leaves no
// trace, and the writer thread, the only writer, always extends the true head.
#include "opflow/store/AuditLog.h"

#include "AuditChain.h"
#include "opflow/engine/RunId.h"
#include "opflow/store/Outbox.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>

namespace opflow::store {

namespace {

// Null is passed as a view without data, so it stays distinct from an empty text.
std::string_view jsonOrNull(const Json& value, const std::string& text) {
  return value.is_null() ? std::string_view() : std::string_view(text);
}

// The canonical text of `entry`, whose before and after are already dumped.
std::string canonicalOf(const AuditEntry& entry, const std::string& before, const std::string& after) {
  std::string out;
  out.reserve(256 + before.size() + after.size());
  detail::appendCanonical(out, {entry.seq, entry.id, entry.atMs, entry.user, entry.role, entry.workstation,
                                entry.correlationId, entry.action, entry.subjectType, entry.subjectId,
                                entry.orderNumber, jsonOrNull(entry.before, before), jsonOrNull(entry.after, after),
                                entry.reason});
  return out;
}

std::string dumpOrEmpty(const Json& value) { return value.is_null() ? std::string() : value.dump(); }

} // namespace

std::string canonicalJson(const AuditEntry& entry) {
  return canonicalOf(entry, dumpOrEmpty(entry.before), dumpOrEmpty(entry.after));
}

void detail::appendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out += '"';
  std::size_t run = 0; // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\' && byte < 0x80) {
      continue; // copied in bulk with its run
    }
    if (byte >= 0x80) {
      // Non-ASCII text: let nlohmann check the UTF-8 (rare in this log, so the slow path).
      out.resize(start);
      out += Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
      return;
    }
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (byte) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

void detail::appendCanonical(std::string& out, const CanonicalFields& fields) {
  // Keys in byte order, no whitespace: the same text whoever computes it.
  out += "{\"action\":";
  appendJsonString(out, fields.action);
  out += ",\"after\":";
  out += fields.afterJson.data() == nullptr ? std::string_view("null") : fields.afterJson;
  out += ",\"at_ms\":";
  out += std::to_string(fields.atMs);
  out += ",\"before\":";
  out += fields.beforeJson.data() == nullptr ? std::string_view("null") : fields.beforeJson;
  out += ",\"correlation_id\":";
  appendJsonString(out, fields.correlationId);
  out += ",\"id\":";
  appendJsonString(out, fields.id);
  out += ",\"order_number\":";
  appendJsonString(out, fields.orderNumber);
  out += ",\"reason\":";
  appendJsonString(out, fields.reason);
  out += ",\"role\":";
  appendJsonString(out, fields.role);
  out += ",\"seq\":";
  out += std::to_string(fields.seq);
  out += ",\"subject_id\":";
  appendJsonString(out, fields.subjectId);
  out += ",\"subject_type\":";
  appendJsonString(out, fields.subjectType);
  out += ",\"user\":";
  appendJsonString(out, fields.user);
  out += ",\"workstation\":";
  appendJsonString(out, fields.workstation);
  out += "}";
}

namespace {

// Writes the 64 lower-case hex digits of SHA-256(prevHash + canonical) into hex[0..64].
void chainHashHex(std::string_view prevHash, std::string_view canonical, char (&hex)[crypto_hash_sha256_BYTES * 2 + 1]) {
  static const bool initialised = sodium_init() >= 0;
  static_cast<void>(initialised);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(prevHash.data()), prevHash.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size());
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
}

} // namespace

std::string detail::chainHash(std::string_view prevHash, std::string_view canonical) {
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  chainHashHex(prevHash, canonical, hex);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

bool detail::chainHashEquals(std::string_view prevHash, std::string_view canonical, std::string_view expectedHex) {
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  chainHashHex(prevHash, canonical, hex);
  return expectedHex == std::string_view(hex, crypto_hash_sha256_BYTES * 2);
}

Json toJson(const AuditEntry& entry) {
  return Json{{"seq", entry.seq},
              {"id", entry.id},
              {"at_ms", entry.atMs},
              {"user", entry.user},
              {"role", entry.role},
              {"workstation", entry.workstation},
              {"correlation_id", entry.correlationId},
              {"action", entry.action},
              {"subject_type", entry.subjectType},
              {"subject_id", entry.subjectId},
              {"order_number", entry.orderNumber},
              {"before", entry.before},
              {"after", entry.after},
              {"reason", entry.reason},
              {"prev_hash", entry.prevHash},
              {"hash", entry.hash}};
}

Status appendAudit(Database& db, AuditEntry& entry) {
  std::int64_t lastSeq = 0;
  std::int64_t lastAtMs = 0;
  std::string prevHash(detail::kGenesisHash);
  {
    auto head = db.prepare("SELECT seq, at_ms, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (!head) {
      return head.error();
    }
    auto row = (*head)->step();
    if (!row) {
      return row.error();
    }
    if (*row) {
      lastSeq = (*head)->int64(0);
      lastAtMs = (*head)->int64(1);
      prevHash = (*head)->text(2);
    }
  }
  entry.seq = lastSeq + 1;
  if (entry.id.empty()) {
    entry.id = engine::newUuidV7();
  }
  entry.atMs = std::max(entry.atMs == 0 ? db.nowMs() : entry.atMs, lastAtMs);
  entry.prevHash = std::move(prevHash);
  std::string before;
  std::string after;
  try {
    before = dumpOrEmpty(entry.before);
    after = dumpOrEmpty(entry.after);
  } catch (const Json::exception& error) {
    // Bytes that are not UTF-8 in a value: the boundaries refuse them (JsonBounds), so
    // this is a bug; the change it belongs to is rolled back rather than kept unaudited.
    return makeError(ErrorCode::Internal,
                     fmt::format("audit entry \"{}\" on {} {} not written: {}", entry.action, entry.subjectType,
                                 entry.subjectId, error.what()));
  }
  entry.hash = detail::chainHash(entry.prevHash, canonicalOf(entry, before, after));

  auto insert = db.prepare(
      "INSERT INTO audit (seq, id, at_ms, user, role, workstation, correlation_id, action, subject_type, subject_id, "
      "order_number, before, after, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) {
    return insert.error();
  }
  Statement& statement = **insert;
  statement.bind(1, entry.seq)
      .bind(2, entry.id)
      .bind(3, entry.atMs)
      .bind(4, entry.user)
      .bind(5, entry.role)
      .bind(6, entry.workstation)
      .bind(7, entry.correlationId)
      .bind(8, entry.action)
      .bind(9, entry.subjectType)
      .bind(10, entry.subjectId)
      .bindOptional(11, entry.orderNumber);
  if (entry.before.is_null()) {
    statement.bindNull(12);
  } else {
    statement.bind(12, before);
  }
  if (entry.after.is_null()) {
    statement.bindNull(13);
  } else {
    statement.bind(13, after);
  }
  statement.bind(14, entry.reason).bind(15, entry.prevHash).bind(16, entry.hash);
  if (Status inserted = statement.run(); !inserted) {
    return inserted;
  }
  return appendOutbox(db, {"", "audit.entry", entry.id, std::nullopt, nullptr});
}

} // namespace opflow::store
