// The order handlers: how operations read and change orders, so that an order changes
// only through an operation (each change is a node of some flowchart, journaled and
// audited). The run's context (user, role, workstation, correlation id, run id) is the
// audit entry's who and where. Every change waits until it is durable. A refusal by the
// store (a move the status model does not allow, a held order, a manager's attempt) leaves
// by the "refused" exit with "order_refusal" = the reason; bad arguments are handler errors.
//
//   order.load          {"order"}: writes "order" = {number, customer, status, priority,
//                       price_cents, material, file_name, hold, assigned_operator, version,
//                       details, created_at, updated_at}. Exit "not_found".
//   order.check_move    {"order", "to"}: the first step of an operation that moves the order
//                       later: writes "order" when the move is allowed now; exit "refused"
//                       (audited like a refused move; also when the order already has
//                       that status) or "not_found".
//   order.create        {"customer", "priority", "material", "number", "file_name", ...}:
//                       any other argument goes into the order's details (quantity, rush,
//                       notes). Writes "order". Exit "refused".
//   order.transition    {"order", "to", "record", "signature", "reason"}: moves the order one
//                       allowed step, recording `record` (merged into details; price_cents,
//                       material, file_name, assigned_operator set their columns), the
//                       signature ({id, signer, role, meaning, at}) and the reason with it.
//                       Writes "order_status" = {number, status, version} and "order". Also
//                       succeeds when the order already has that status (a re-run after a
//                       crash). Exit "refused".
//   order.hold          {"order", "reason" (a hold reason code), "note"}: exit "refused".
//   order.release       {"order", "note"}: exit "refused".
//                       Both write "order" and "order_status".
//   order.record_review {"order", "signature", "through_seq"}: the run's user reviewed the
//                       order's audit trail (at a workstation in a shop, the shop's too, as
//                       far as it holds now; offline, this workstation's); writes "review" =
//                       {reviewer, role, at, through_seq, audit_seq, shop_position,
//                       signature}. Exit "refused".
//   order.find_review   {"order"}: writes "review" (the latest since the order reached
//                       SHIPPED). Exit "not_reviewed". At a workstation in a shop, the review
//                       may be any workstation's, and must have seen every entry the shop
//                       recorded about the order since it shipped (ShopTrail); offline that
//                       cannot be known and the exit is "not_reviewed", saying so.
// Without an OrderStore (no workstation database) each handler fails with an error saying so.
// Thread-safety: the handlers are stateless; the OrderStore must outlive the registry's use.
#pragma once

#include "opflow/builtin/ShopTrail.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/store/OrderStore.h"

namespace opflow::builtin {

// `shop`: the order's trail across the shop (nullptr: this workstation's trail is all).
[[nodiscard]] Status registerOrderHandlers(engine::HandlerRegistry& registry, store::OrderStore* orders,
                                           ShopTrail* shop = nullptr);

// The order as the handlers write it into a run's data ("order").
[[nodiscard]] Json orderView(const store::Order& order);

} // namespace opflow::builtin
