// OrderStore: orders in the workstation database. Every change goes through the writer
// thread in one transaction with its audit entry and its outbox event ("order.changed",
// with the base version), and returns once durable. Reads use the ReaderPool.
//
// A status move is allowed only by the transition table (one step forward, or a cancel
// where allowed) and only while the order is not on hold; a refused move changes nothing
// but is audited ("order.transition_refused") and returns ErrorCode::Conflict. A move to
// the status the order already has succeeds without a new change when the same run (or
// no run) asks (idempotent re-runs); another run asking is refused, so its record is never
// silently dropped.
// A move can record what its step found (TransitionRecord: details, a signature, a reason)
// in the same transaction and audit entry.
//
// A manager reads orders and changes none: every change by an actor whose role is
// "manager" is refused with ErrorCode::PermissionDenied and audited ("order.change_refused").
// Thread-safety: every member may be called from any thread.
#pragma once

#include "opflow/store/LocalStore.h"
#include "opflow/store/Order.h"

namespace opflow::store {

class OrderStore {
public:
  explicit OrderStore(LocalStore& store) : m_store(store) {}

  // Creates an order in INITIATED (audit "order.created", outbox base version 0).
  [[nodiscard]] Result<Order> create(const NewOrder& order, const OrderActor& actor);

  // Moves the order to `to`. Refused (Conflict, audited, nothing else changed) when the
  // move is not allowed, the order is on hold, or `expectedVersion` is given and stale.
  [[nodiscard]] Result<Order> transition(const std::string& number, domain::OrderStatus to, const OrderActor& actor,
                                         std::optional<std::int64_t> expectedVersion = std::nullopt);
  // The same move, recording `record` with it (InvalidArgument, nothing written, when a
  // column key of the record has the wrong type). The audit entry's `after` carries the
  // record and the signature; its reason is the record's reason.
  [[nodiscard]] Result<Order> transition(const std::string& number, domain::OrderStatus to, const OrderActor& actor,
                                         const TransitionRecord& record,
                                         std::optional<std::int64_t> expectedVersion = std::nullopt);

  // Whether the order may move to `to` now (the first step of an operation that moves it
  // later, after work worth not doing for nothing). The order when it may; otherwise the
  // same refusal as transition() would give, audited the same way, and also Conflict when
  // the order already has that status.
  [[nodiscard]] Result<Order> checkTransition(const std::string& number, domain::OrderStatus to,
                                              const OrderActor& actor);

  // Puts the order on hold (Conflict when it is already held or final) / releases it
  // (Conflict when it is not held). Both audited ("order.held", "order.released").
  [[nodiscard]] Result<Order> hold(const std::string& number, domain::HoldReason reason, const OrderActor& actor,
                                   const std::string& note = {});
  [[nodiscard]] Result<Order> release(const std::string& number, const OrderActor& actor,
                                      const std::string& note = {});

  // Records that `actor` reviewed the order's audit trail up to `throughSeq` (default: the
  // order's last entry) and, at a workstation in a shop, the shop's trail up to the feed
  // position `shopPosition`: audit "order.audit_reviewed", details.reviewed_by /
  // reviewed_at / reviewed_through_seq. Conflict unless the order is SHIPPED (the review
  // closing needs); InvalidArgument when `throughSeq` is past the order's last entry.
  [[nodiscard]] Result<OrderReview> recordReview(const std::string& number, const OrderActor& actor,
                                                 const std::optional<OrderSignature>& signature = std::nullopt,
                                                 std::optional<std::int64_t> throughSeq = std::nullopt,
                                                 std::optional<std::int64_t> shopPosition = std::nullopt);

  // The latest review recorded since the order last reached SHIPPED; nullopt when none.
  [[nodiscard]] Result<std::optional<OrderReview>> findReview(const std::string& number) const;

  // NotFound when there is no such order (numbers match case-insensitively).
  [[nodiscard]] Result<Order> get(const std::string& number) const;

  // The order's status timeline, oldest first: every status it entered (its creation
  // included), when, and by whom where the audit chain says. NotFound when there is no
  // such order.
  [[nodiscard]] Result<std::vector<OrderStatusEntry>> history(const std::string& number) const;

  // One page of a list; InvalidArgument for a malformed cursor or a limit out of range.
  [[nodiscard]] Result<OrderPage> list(const OrderQuery& query) const;

  // From the trigger-kept counts table: total and by status (the asked ones, or all).
  [[nodiscard]] Result<OrderCounts> count(const std::vector<domain::OrderStatus>& statuses = {}) const;

  [[nodiscard]] LocalStore& localStore() { return m_store; }

private:
  LocalStore& m_store;
};

} // namespace opflow::store
