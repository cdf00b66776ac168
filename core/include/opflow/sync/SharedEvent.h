// What travels between a workstation and the shared database: an event of the outbox
// as pushed, the shared side's answer to it, and a page of what the shop did.
// An event keeps its id (UUIDv7), its workstation and its per-workstation sequence
// number, its kind and the schema version of its payload, so an old payload stays
// readable by a newer build. Payloads by kind:
//   "order.changed"  {"order": the order as the change left it (its "version" is
//                    base_version + 1), "change": {"action", "user", "role", "workstation",
//                    "correlation_id", "run_id", "base_event"}};
//   "user.changed"   {"user": the user's row as an admin's change left it (its password
//                    hash, never a password), "change": {"action", "user"}};
//   "setting.changed" {"key", "value", "change": {"action", "user"}}: a sign-in rule;
//   "audit.entry"    the audit entry as the workstation's chain holds it (seq, id, at_ms,
//                    ..., prev_hash, hash);
//   "run.summary"    a finished run: operation, state, times.
// Thread-safety: value types.
#pragma once

#include "opflow/Json.h"
#include "opflow/store/AuditLog.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opflow::sync {

// The payload schema version this build writes (and the newest it reads).
inline constexpr int kPayloadVersion = 1;

struct SharedEvent {
  std::string id; // UUIDv7
  std::string workstation;
  std::int64_t seq = 0; // the workstation's outbox sequence: 1, 2, 3, ... without gaps
  std::string kind;
  int payloadVersion = kPayloadVersion;
  std::string subjectId; // the order number, audit entry id or run id
  std::optional<std::int64_t> baseVersion; // order.changed: the version the change was made on
  Json payload;
  std::int64_t createdAtMs = 0; // by the workstation's clock: shown, never used to decide
};

// What the shared side did with an event. Conflict and Refused are final answers: the
// event is stored with them and the queue moves on.
enum class EventOutcome {
  Applied,  // accepted (an order change applied, an audit entry appended to its chain)
  Conflict, // an order change made on a version the shared order no longer has
  Refused,  // not applied: a broken audit chain, an unknown kind, a payload that does not read
};

[[nodiscard]] const char* toString(EventOutcome outcome);
[[nodiscard]] std::optional<EventOutcome> parseEventOutcome(std::string_view text);

struct EventAck {
  std::string id;
  std::int64_t seq = 0;
  EventOutcome outcome = EventOutcome::Applied;
  std::string reason;     // why a conflict or refusal
  bool duplicate = false; // already there from an earlier push: the stored outcome
};

// The answer to a pushed batch. The shared side takes a workstation's events only in
// sequence: `acks` covers the leading events it took (in order); when it stopped short,
// `expectedSeq` is the sequence number it expects next (a gap, or events it lacks after
// a restore), and the workstation sends again from there.
struct PushAnswer {
  std::vector<EventAck> acks;
  std::int64_t expectedSeq = 1;
};

// One event as the shop's feed gives it, in the shared database's commit order.
struct FeedEvent {
  std::int64_t position = 0; // the cursor: every event of the feed after it comes later
  SharedEvent event;
  EventOutcome outcome = EventOutcome::Applied;
  std::string reason;
};

struct FeedPage {
  std::vector<FeedEvent> events;
  std::int64_t cursor = 0; // the position to read after next time
};

// A filter of the shop's audit entries (SharedDatabase::auditEntries): every field set
// must match; newest first by feed position, a keyset page at a time.
struct ShopAuditQuery {
  // Its user, action, order number, correlation id and time range (its keyset, order and
  // limit are this query's own).
  store::AuditQuery filter;
  std::int64_t beforePosition = 0; // keyset: entries before this feed position (0: from the newest)
  std::size_t limit = 500;
};

// One audit entry of the shop: where it stands in the feed, whose chain holds it (the
// workstation's name in the shop), and the entry as its workstation wrote it.
struct ShopAuditEntry {
  std::int64_t position = 0;
  std::string chain;
  store::AuditEntry entry;
};

// One step of a run as the run's "run.step" audit entry records it (the shop's node
// statistics are read from these).
struct ShopRunStep {
  std::string runId;
  std::string node;
  std::int64_t durationUs = 0;
  std::string error;
  std::string exit;
};

// The steps of an operation's latest runs that ended at any workstation and went up (a
// run's "run.summary" goes up when it ends): `runs` newest first, at most the query's
// window; `steps` in no particular order (SharedDatabase::operationSteps).
struct ShopOperationSteps {
  std::vector<std::string> runs;
  std::vector<ShopRunStep> steps;
};

// The step a "run.step" entry's payload records; nothing when it does not read as one.
[[nodiscard]] std::optional<ShopRunStep> runStepFromPayload(const Json& payload);

// The audit entry an "audit.entry" event carries (its before/after parsed back from the
// compact text the chain hashed; kept as text when that is not JSON).
[[nodiscard]] store::AuditEntry auditEntryFromPayload(const Json& payload);

// An order as the shared database holds it: the authority's state.
struct SharedOrder {
  std::int64_t version = 0;
  std::string eventId;     // the change that made this version
  std::string workstation; // where it was made
  Json record;             // as store::orderToJson writes it
};

// Order sequence numbers (the 123 of "ORD-000123") a workstation holds, first to last.
// The shared database hands them out in blocks, so workstations that create orders
// offline never give two orders one number.
struct NumberBlock {
  std::int64_t first = 0;
  std::int64_t last = 0;
};

// The shared database's identity: its schema version and its epoch (a new one when it is
// created, restored or replaced; a workstation that finds another epoch resyncs).
struct SharedIdentity {
  int schemaVersion = 0;
  std::string epoch;
};

} // namespace opflow::sync
