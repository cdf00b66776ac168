// OrderStore: orders in the workstation database. Every change goes through the writer
// thread in one transaction with its audit entry and its outbox event ("order.changed",
// with the base version), and returns once durable. Reads use the ReaderPool.
//
// A status move is allowed only by the transition table (one step forward, or a cancel
// where allowed) and only while the order is not on hold; a refused move changes nothing
// but is audited ("order.transition_refused") and returns ErrorCode::Conflict. A move to
// the status the order already has succeeds without a new change (idempotent re-runs).
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

  // Puts the order on hold (Conflict when it is already held or final) / releases it
  // (Conflict when it is not held). Both audited ("order.held", "order.released").
  [[nodiscard]] Result<Order> hold(const std::string& number, domain::HoldReason reason, const OrderActor& actor,
                                   const std::string& note = {});
  [[nodiscard]] Result<Order> release(const std::string& number, const OrderActor& actor,
                                      const std::string& note = {});

  // NotFound when there is no such order (numbers match case-insensitively).
  [[nodiscard]] Result<Order> get(const std::string& number) const;

  // One page of a list; InvalidArgument for a malformed cursor or a limit out of range.
  [[nodiscard]] Result<OrderPage> list(const OrderQuery& query) const;

  // From the trigger-kept counts table: total and by status (the asked ones, or all).
  [[nodiscard]] Result<OrderCounts> count(const std::vector<domain::OrderStatus>& statuses = {}) const;

  [[nodiscard]] LocalStore& localStore() { return m_store; }

private:
  LocalStore& m_store;
};

} // namespace opflow::store
