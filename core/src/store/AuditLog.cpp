// Appending to the audit chain. The chain head (last seq, hash and time) is read inside
// the caller's transaction, so an append rolled back with its transaction leaves no
// trace, and the writer thread, the only writer, always extends the true head.
#include "opflow/store/AuditLog.h"

#include "AuditChain.h"
#include "opflow/engine/RunId.h"
#include "opflow/store/Outbox.h"

#include <sodium.h>

#include <algorithm>

namespace opflow::store {

namespace {

void appendQuoted(std::string& out, std::string_view text) { out += Json(text).dump(); }

void appendJsonValue(std::string& out, const Json& value) { out += value.is_null() ? "null" : value.dump(); }

} // namespace

std::string canonicalJson(const AuditEntry& entry) {
  // Keys in byte order, no whitespace: the same text whoever computes it.
  std::string out;
  out.reserve(256);
  out += "{\"action\":";
  appendQuoted(out, entry.action);
  out += ",\"after\":";
  appendJsonValue(out, entry.after);
  out += ",\"at_ms\":";
  out += std::to_string(entry.atMs);
  out += ",\"before\":";
  appendJsonValue(out, entry.before);
  out += ",\"correlation_id\":";
  appendQuoted(out, entry.correlationId);
  out += ",\"id\":";
  appendQuoted(out, entry.id);
  out += ",\"order_number\":";
  appendQuoted(out, entry.orderNumber);
  out += ",\"reason\":";
  appendQuoted(out, entry.reason);
  out += ",\"role\":";
  appendQuoted(out, entry.role);
  out += ",\"seq\":";
  out += std::to_string(entry.seq);
  out += ",\"subject_id\":";
  appendQuoted(out, entry.subjectId);
  out += ",\"subject_type\":";
  appendQuoted(out, entry.subjectType);
  out += ",\"user\":";
  appendQuoted(out, entry.user);
  out += ",\"workstation\":";
  appendQuoted(out, entry.workstation);
  out += "}";
  return out;
}

std::string detail::chainHash(std::string_view prevHash, std::string_view canonical) {
  static const bool initialised = sodium_init() >= 0;
  static_cast<void>(initialised);
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(prevHash.data()), prevHash.size());
  crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size());
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
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
  entry.atMs = std::max(entry.atMs == 0 ? nowMs() : entry.atMs, lastAtMs);
  entry.prevHash = std::move(prevHash);
  entry.hash = detail::chainHash(entry.prevHash, canonicalJson(entry));

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
    statement.bind(12, entry.before.dump());
  }
  if (entry.after.is_null()) {
    statement.bindNull(13);
  } else {
    statement.bind(13, entry.after.dump());
  }
  statement.bind(14, entry.reason).bind(15, entry.prevHash).bind(16, entry.hash);
  if (Status inserted = statement.run(); !inserted) {
    return inserted;
  }
  return appendOutbox(db, {"", "audit.entry", entry.id, std::nullopt, nullptr});
}

} // namespace opflow::store
