// OrderOperations: which operations of a catalog apply to an existing order now, for a
// role, read from the definitions the engine runs (never a list kept by hand in a UI),
// so the console and the CLI offer the same operations.
//
// An operation works on an existing order when it has an "order" input (text) and
//   starts with an order.check_move node whose `with.to` is a status (literal text):
//     it moves the order there; it applies while the order is not on hold and the move
//     is allowed from the order's status (domain::isAllowedTransition);
//   starts with an order.hold node: applies while the order is neither held nor final;
//   starts with an order.release node: applies while the order is held;
//   has an order.record_review node: reviews the audit trail, applies once it is SHIPPED.
// An operation without an "order" input (order.create) makes orders: newOrderOperations.
// The definition's roles decide who may start it (none listed: every role that may act);
// a role that may not act (manager) gets none. Core refuses what is not offered anyway:
// the engine checks the role, the order store the move.
// Thread-safety: free functions; the catalog is thread-safe.
#pragma once

#include "opflow/domain/OrderStatus.h"
#include "opflow/domain/Role.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/store/Order.h"

#include <optional>
#include <vector>

namespace opflow::builtin {

// What an operation does to the order it is started on.
enum class OrderEffect {
  Review,  // records a review of its audit trail
  Move,    // moves it to `OrderOperation::to`
  Release, // lifts its hold
  Hold,    // puts it on hold
};

struct OrderOperation {
  engine::OperationPtr operation;
  OrderEffect effect = OrderEffect::Move;
  std::optional<domain::OrderStatus> to; // Move: the status it moves the order to
};

// What `operation` does to an existing order, or nullopt when it does not work on one.
[[nodiscard]] std::optional<OrderOperation> orderOperationOf(const engine::OperationPtr& operation);

// Whether `role` may start `operation` (its declared roles, and the role may act at all).
[[nodiscard]] bool mayStart(const model::OperationDefinition& operation, domain::Role role);

// The latest version of every operation that `role` may start on `order` in its status
// and hold now: the review first (closing needs it), then forward moves, release, hold,
// and a move to CANCELLED last.
[[nodiscard]] std::vector<OrderOperation> applicableOperations(const engine::OperationCatalog& catalog,
                                                               const store::Order& order, domain::Role role);

// The operations that `role` may start to make a new order (an order.create node, no
// "order" input), by name.
[[nodiscard]] std::vector<engine::OperationPtr> newOrderOperations(const engine::OperationCatalog& catalog,
                                                                   domain::Role role);

} // namespace opflow::builtin
