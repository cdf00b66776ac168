// The rules every shared backend applies, whatever its SQL (private to core/sync): the
// schema versions it opens, the digest that tells a resent event from another with the
// same id, what makes a payload unreadable, the audit chain's continuity, and the plan of
// a push.
#pragma once

#include "opflow/Result.h"
#include "opflow/sync/SharedEvent.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opflow::sync::detail {

// Why a shared database `shown` of schema version `found` is not opened by a build that
// writes `latest` (newer: never; older: `shared init` migrates it; 0: `whenNone` says
// what it is); nothing when the versions are the same.
[[nodiscard]] std::optional<Error> schemaMismatch(const std::string& shown, int found, int latest,
                                                  std::string_view whenNone);

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

// The shared state of an order: its version, the event that made it, its status and
// whether it is on hold.
struct SharedOrderState {
  std::int64_t version = 0;
  std::string eventId;
  std::string status;
  bool held = false;
};

// Why an "order.changed" event cannot be applied to the shared order in `shared` (nothing
// when the shared side does not know the order yet): it was made on another version, or
// on the same version made by another change (its change's "base_event"; a change that
// names none, queued by an older build, is judged by its version alone).
[[nodiscard]] std::optional<std::string> orderConflict(const SharedEvent& event,
                                                       const std::optional<SharedOrderState>& shared);

// Why an order change that applies on the shared state `shared` breaks the status model:
// a move the transition table does not allow, or a move while the order stays on hold;
// nothing when it keeps it.
[[nodiscard]] std::optional<std::string> statusModelBreak(const SharedEvent& event, const SharedOrderState& shared);

// Why `workstation` cannot claim `block`: another workstation's block `held` (by `holder`)
// overlaps it.
[[nodiscard]] Error numbersHeldElsewhere(const std::string& workstation, const NumberBlock& block,
                                         const std::string& holder, const NumberBlock& held);

// What the shared side knows of a workstation: where its sequence and its audit chain end.
struct Head {
  std::int64_t lastSeq = 0;
  ChainEnd audit;
};

// An event the shared side already holds.
struct StoredEvent {
  std::string workstation;
  std::int64_t seq = 0;
  std::string digest;
  EventOutcome outcome = EventOutcome::Refused;
  std::string reason;
};

// Order numbers and user names compare as the workstations compare them: ASCII letters
// without case. The key a shared table keeps them under.
[[nodiscard]] std::string sharedNameKey(std::string name);

// A user as the shop knows them: where they were added and the state the last applied
// change left (its record).
struct ShopUser {
  std::string workstation;
  Json record;
};

// A definition version as the shop holds it: where it was loaded first and its content.
struct ShopDefinition {
  std::string workstation;
  std::string contentHash;
};

// A signature as the shop saw it given: in the audit chain of the workstation where it was
// given ("signature.given").
struct ShopSignature {
  std::string workstation;
  std::string signer;
  std::string role;
  std::string meaning;
};

// How a backend answers the plan's questions about what it holds (before the batch).
struct PushLookups {
  std::function<Result<std::optional<StoredEvent>>(const std::string& id)> storedEvent;
  std::function<Result<std::optional<SharedOrderState>>(const std::string& number)> orderState;
  // The user the shop knows by `name`; nothing when none.
  std::function<Result<std::optional<ShopUser>>(const std::string& name)> user;
  // The definition version the shop holds as `subject` ("name vN"); nothing when none.
  std::function<Result<std::optional<ShopDefinition>>(const std::string& subject)> definition;
  // The signature the shop saw given under `id` at `workstation`; nothing when none.
  std::function<Result<std::optional<ShopSignature>>(const std::string& workstation, const std::string& id)> signature;
};

// A signature an audit entry of the batch shows given.
struct PlannedSignature {
  std::string id;
  ShopSignature signature;
};

// A new event to store, with its digest and the shared side's answer.
struct PlannedEvent {
  const SharedEvent* event = nullptr;
  std::string digest;
  EventAck ack;
};

// The order an applied change leaves: the last applied change of each order in a batch.
struct PlannedOrder {
  const SharedEvent* event = nullptr;
  std::int64_t version = 0;
};

// The user an applied change leaves: the last applied change of each user in a batch.
struct PlannedUser {
  const SharedEvent* event = nullptr;
};

// What one push does, decided before anything is written: the answers in order, the new
// events to store (in sequence), the orders, users and definition versions to write and
// the workstation's new head.
struct PushPlan {
  std::vector<EventAck> acks;
  std::vector<PlannedEvent> inserts;
  std::vector<PlannedOrder> orders;             // one per order number, in the order first changed
  std::vector<PlannedUser> users;               // one per user name
  std::vector<const SharedEvent*> definitions;  // the "definition.loaded" events of versions new to the shop
  std::vector<PlannedSignature> signatures;     // given, as the batch's audit entries show
  Head head;
};

// Decides a batch of `workstation`'s events (ascending seq) against what the backend
// holds: a resent id is answered with its stored outcome (other content refused); a
// sequence number past the head ends the batch; each new event is refused, a conflict or
// applied by the rules above, later events of the batch seeing what earlier ones applied.
// A user added where the shop knows that name already is a conflict: the shop's stays.
// A definition version the shop holds with other content is a conflict: the shop's stays
// (the same content loaded at two workstations is applied, and stored once).
// An order change or a definition is checked against the shop's users, not the
// workstation's file (which anyone who can write it can forge): its user must be one the
// shop knows, with the role the change claims, a role that may make it (not a manager's
// order change; only an admin's definition), or it is refused. A user disabled since is
// not refused: the change may have been made offline before, and nothing is decided by
// clock time. An order change that applies must also keep the status model, and a
// signature it records must be one the shop saw given (its "signature.given" audit entry,
// in the chain of the same workstation), by the signer, role and meaning it says, and the
// shop must let that signer sign; otherwise it is refused.
[[nodiscard]] Result<PushPlan> planPush(const std::string& workstation, const std::vector<SharedEvent>& events,
                                        Head head, const PushLookups& lookups);

} // namespace opflow::sync::detail
