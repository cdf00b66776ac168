// AuditLog: the append-only, hash-chained record of who did what, when, where, with
// which inputs. Each entry's hash is SHA-256 (libsodium) over the previous entry's hash
// and the entry's canonical JSON, so an edit anywhere breaks the chain from there on;
// triggers refuse UPDATE and DELETE. Entries are appended on the writer's connection
// inside the transaction of the change they record, and each append also puts an
// "audit.entry" event into the outbox.
// Thread-safety: free functions on the caller's connection.
#pragma once

#include "opflow/Json.h"
#include "opflow/store/Database.h"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace opflow::store {

struct AuditEntry {
  std::int64_t seq = 0;  // position in the chain; set by appendAudit
  std::string id;        // UUIDv7; set by appendAudit
  std::int64_t atMs = 0; // UTC ms; appendAudit sets it when 0 (never earlier than the previous entry)
  std::string user;
  std::string role;
  std::string workstation;
  std::string correlationId;
  std::string action;      // "run.started", "run.step", "order.status_changed", ...
  std::string subjectType; // "run", "order", "definition", ...
  std::string subjectId;
  std::string orderNumber; // the order the entry concerns, when any (for per-order queries)
  Json before;             // null when not applicable
  Json after;
  std::string reason;
  std::string prevHash; // set by appendAudit
  std::string hash;     // set by appendAudit
};

struct AuditQuery {
  std::string user;
  std::string action;
  std::string orderNumber;
  std::string correlationId;
  std::optional<std::int64_t> sinceMs; // inclusive
  std::optional<std::int64_t> untilMs; // exclusive
  std::int64_t afterSeq = 0;           // keyset: entries after this position
  std::size_t limit = 1000;            // 0: no limit
  bool newestFirst = false;            // descending seq order (a review reads the latest first)
  std::int64_t beforeSeq = 0;          // keyset for newestFirst: entries before this position (0: none)
};

// Something in the database that its audit chain does not account for.
struct IntegrityFinding {
  std::string check;   // "triggers", "signatures", "users", "sessions" or "orders"
  std::string subject; // the trigger, signature id, user, session id or order number
  std::string problem; // in words
};

struct AuditVerification {
  bool intact = true;        // the chain holds and no cross-check found anything
  bool chainIntact = true;   // the chain alone
  std::int64_t checked = 0;  // entries checked (up to the broken one)
  std::int64_t brokenSeq = 0; // the first broken entry, when the chain is not intact
  std::string brokenId;
  std::string reason; // what is wrong with it, in words
  std::vector<IntegrityFinding> findings; // the first kMaxFindingsListed of what the cross-checks found
  std::int64_t findingCount = 0;          // all of them

  static constexpr std::size_t kMaxFindingsListed = 100;
};

enum class AuditExportFormat { Csv, JsonLines };

// Appends inside the caller's open transaction; fills seq, id, atMs, prevHash and hash.
[[nodiscard]] Status appendAudit(Database& db, AuditEntry& entry);
// Entries in chain order (newest first when asked) matching every given filter.
[[nodiscard]] Result<std::vector<AuditEntry>> queryAudit(Database& db, const AuditQuery& query);
// Walks the whole chain and names the first entry whose hash or link does not hold, then
// checks the database against the chain: the protecting triggers, signatures, users,
// sessions and orders (see IntegrityChecks.h); what those find is listed as findings.
[[nodiscard]] Result<AuditVerification> verifyAudit(Database& db);
// Writes the matching entries (no limit) as CSV with a header row, or one JSON object per line.
[[nodiscard]] Status exportAudit(Database& db, const AuditQuery& query, AuditExportFormat format, std::ostream& out);

// The text that is hashed (without prev_hash and hash), and the entry as JSON.
[[nodiscard]] std::string canonicalJson(const AuditEntry& entry);
[[nodiscard]] Json toJson(const AuditEntry& entry);

} // namespace opflow::store
