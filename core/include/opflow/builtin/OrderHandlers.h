// The order handlers: how operations change orders, so that an order changes status only
// through an operation (each move is a node of some flowchart, journaled and audited).
//
//   order.transition   with {"order": NUMBER, "to": STATUS}
//     moves the order one allowed step through OrderStore::transition, waiting until the
//     change is durable; the run's context (user, role, workstation, correlation id, run
//     id) is the audit entry's who and where. Writes "order_status" = {number, status,
//     version} into the run's data. Exits: the node's go_to on success (also when the
//     order is already in that status: re-running after a crash is safe), "refused" when
//     the move is refused (not allowed, on hold, stale), with "order_refusal" = the reason.
//     A missing order or bad arguments is a handler error.
// Without an OrderStore (no workstation database) each handler fails with an error saying so.
// Thread-safety: the handlers are stateless; the OrderStore must outlive the registry's use.
#pragma once

#include "opflow/engine/HandlerRegistry.h"
#include "opflow/store/OrderStore.h"

namespace opflow::builtin {

[[nodiscard]] Status registerOrderHandlers(engine::HandlerRegistry& registry, store::OrderStore* orders);

} // namespace opflow::builtin
