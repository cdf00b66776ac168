// An order as it travels to and from the shared database (the "order" of an
// "order.changed" payload), and taking the shared state of an order into the
// workstation database when the sync pulls it.
// Thread-safety: free functions; takeSharedOrder runs on the writer's connection, inside
// the caller's transaction.
#pragma once

#include "opflow/Json.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/Database.h"
#include "opflow/store/Order.h"

namespace opflow::store {

// {"number", "customer", "status", "priority", "price_cents", "material", "file_name",
//  "created_at", "updated_at", "assigned_operator", "hold_reason", "version", "details"}.
[[nodiscard]] Json orderToJson(const Order& order);
// The same shape back, every field checked (a known status and hold reason, a priority of
// 0 to 3, a version of at least 1, a price of at least 0); InvalidArgument naming the
// first field that is wrong. The id is left 0 (each database numbers its own rows).
[[nodiscard]] Result<Order> orderFromJson(const Json& json);

// Why this workstation takes the shared state of an order, for the audit entry.
struct SharedOrderOrigin {
  std::string action;      // "order.pulled" (another workstation's change) or "order.conflicted"
  std::string eventId;     // the shared event that made this state
  std::string workstation; // where the change was made
  std::string user;        // who made it
  std::string reason;      // in words
};

// The audit entry of a shared state this workstation's sync (`sync`) takes, for `origin`:
// who, where, what and why filled in; the order number, before and after are the caller's.
[[nodiscard]] AuditEntry takenStateEntry(const OrderActor& sync, const SharedOrderOrigin& origin,
                                         std::string subjectType, std::string subjectId);

// Which shared state of an order takeSharedOrder takes.
enum class SharedTake {
  Any,   // whatever this database holds (a conflict: the shop's state is the word)
  Later, // only a version later than this database's: a feed event older than the state
         // read before a move is not taken back over it
};

// Makes the local order the shared one (a new row when the order is new here): its status
// history gains the status when it changed, and an audit entry (origin.action, by `sync`:
// this workstation's sync) records the state taken, so `audit verify` finds the order as
// its chain says. Nothing goes to the outbox as an order change: the shared side has it.
// False, and nothing written, when the local order is that state already (the same
// version of the same change: a feed read again after a resync), or `which` is Later and
// the local order's version is higher.
[[nodiscard]] Result<bool> takeSharedOrder(Database& db, const Order& shared, const SharedOrderOrigin& origin,
                                           const OrderActor& sync, SharedTake which);

} // namespace opflow::store
