// The rules every shared backend applies to a pushed event, whatever its SQL (private to
// core/sync): the digest that tells a resent event from another with the same id, what
// makes a payload unreadable, and the audit chain's continuity.
#pragma once

#include "opflow/sync/SharedEvent.h"

#include <optional>
#include <string>
#include <string_view>

namespace opflow::sync::detail {

// Hex SHA-256 of everything the event says (not when it was received).
[[nodiscard]] std::string eventDigest(const std::string& workstation, const SharedEvent& event);

// Why the shared side cannot read the event (an unknown kind, a payload version newer
// than this build's, a payload without what its kind needs); nothing when it can.
[[nodiscard]] std::optional<std::string> payloadFault(const SharedEvent& event);

// Where a workstation's audit chain ends in the shared database.
struct ChainEnd {
  std::int64_t seq = 0;
  std::string hash;
};

// Why an "audit.entry" event does not continue the chain that ends at `end` (a missing
// or repeated entry, a link to another hash, a hash that is not the entry's); nothing
// when it does.
[[nodiscard]] std::optional<std::string> chainBreak(const SharedEvent& event, const ChainEnd& end);

// The shared state of an order: its version and the event that made it.
struct SharedOrderState {
  std::int64_t version = 0;
  std::string eventId;
};

// Why an "order.changed" event cannot be applied to the shared order in `shared` (nothing
// when the shared side does not know the order yet): it was made on another version, or
// on the same version made by another change (its change's "base_event"; a change that
// names none, queued by an older build, is judged by its version alone).
[[nodiscard]] std::optional<std::string> orderConflict(const SharedEvent& event,
                                                       const std::optional<SharedOrderState>& shared);

} // namespace opflow::sync::detail
