// Outbox: events for the shared database, written in the same transaction as the change
// they carry, and pushed later by sync in sequence order (idempotent by event id).
// Kinds: "order.changed" (with the base version), "user.changed", "setting.changed",
// "run.summary", "audit.entry" (see opflow/sync/SharedEvent.h).
// Thread-safety: free functions on the caller's connection (the writer's, in a transaction).
#pragma once

#include "opflow/Json.h"
#include "opflow/store/Database.h"

#include <optional>

namespace opflow::store {

struct OutboxEvent {
  std::string id; // UUIDv7, assigned by appendOutbox when empty
  std::string kind;
  std::string subjectId;
  std::optional<std::int64_t> baseVersion;
  Json payload; // null for references to immutable rows (audit entries)
};

[[nodiscard]] Status appendOutbox(Database& db, OutboxEvent event);
[[nodiscard]] Result<std::int64_t> pendingOutboxCount(Database& db);

} // namespace opflow::store
