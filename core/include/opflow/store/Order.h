// The order's value types: a stored order, a list row, a list query and its page, the
// counts, who acts, what a status move records, a review of an order's audit trail and
// an entry of its status timeline.
// Prices are integer cents; times are UTC milliseconds.
// Thread-safety: value types.
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"
#include "opflow/domain/HoldReason.h"
#include "opflow/domain/OrderStatus.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opflow::store {

// Who changes an order, and under which run: the audit entry's who/where/why.
struct OrderActor {
  std::string user;
  std::string role;
  std::string workstation;
  std::string correlationId;
  std::string runId; // the operation's run, when the change comes from one
};

struct NewOrder {
  std::string number; // empty: the next "ORD-000123" of this database
  std::string customer;
  int priority = 1; // 0 (low) .. 3 (urgent)
  std::optional<std::int64_t> priceCents;
  std::string material;
  std::string fileName;
  std::string assignedOperator;
  Json details = Json::object(); // anything else the order starts with (quantity, rush, notes, ...)
};

struct Order {
  std::int64_t id = 0;
  std::string number;
  std::string customer;
  domain::OrderStatus status = domain::OrderStatus::Initiated;
  int priority = 1;
  std::optional<std::int64_t> priceCents;
  std::string material;
  std::string fileName;
  std::int64_t createdAtMs = 0;
  std::int64_t updatedAtMs = 0;
  std::string assignedOperator;
  std::optional<domain::HoldReason> hold;
  std::int64_t version = 1;
  Json details = Json::object(); // what the lifecycle operations recorded (file, price breakdown, carrier, ...)
};

// An electronic signature as the audit entry records it: who signed, in which role, when,
// and what the signature means ("approved for manufacturing").
struct OrderSignature {
  std::string id; // the signatures row
  std::string signer;
  std::string role;
  std::string meaning;
  std::int64_t atMs = 0;
};

// {"id", "signer", "role", "meaning", "at": "2026-11-23T10:00:00.000Z"}.
[[nodiscard]] Json toJson(const OrderSignature& signature);
// The same shape back ("at" may also be milliseconds); InvalidArgument naming what is wrong.
[[nodiscard]] Result<OrderSignature> parseOrderSignature(const Json& json);

// What a status move records besides the status, all in the move's one transaction and
// its audit entry. Each top-level key of `record` replaces that key of the order's details,
// except the keys of the order's own columns, which set the column instead:
// price_cents (integer >= 0 or null), material, file_name, assigned_operator (text or null).
struct TransitionRecord {
  Json record = Json::object();
  std::optional<OrderSignature> signature;
  std::string reason;
};

// A supervisor's review of an order's audit trail, up to the entry `throughSeq`.
struct OrderReview {
  std::string reviewer;
  std::string role;
  std::int64_t atMs = 0;
  std::int64_t throughSeq = 0; // the order's last audit entry the reviewer saw
  std::int64_t auditSeq = 0;   // the "order.audit_reviewed" entry itself
  std::optional<OrderSignature> signature;
  // At a workstation in a shop: the shared feed's position of the newest entry about the
  // order the reviewer saw there (0: the shop held none); nothing when the review saw this
  // workstation's trail only.
  std::optional<std::int64_t> shopPosition;
};

// A review as its "order.audit_reviewed" audit entry records it (`after` as the entry holds
// it; what it lacks or cannot read stays unset).
[[nodiscard]] OrderReview reviewFromAudit(std::string reviewer, std::string role, std::int64_t atMs,
                                          std::int64_t auditSeq, const Json& after);

// One status an order entered, from its status timeline (order_history), with who moved
// it there when the audit chain knows (an order seeded with a made-up past has no one).
struct OrderStatusEntry {
  domain::OrderStatus status = domain::OrderStatus::Initiated;
  std::int64_t atMs = 0;
  std::string user;  // empty when unknown
  std::string role;  // empty when unknown
  std::string runId; // the operation's run that made the move, when one did
  friend bool operator==(const OrderStatusEntry&, const OrderStatusEntry&) = default;
};

// What a list shows of an order (the columns the covering indexes carry).
struct OrderSummary {
  std::int64_t id = 0;
  std::string number;
  domain::OrderStatus status = domain::OrderStatus::Initiated;
  std::string customer;
  int priority = 1;
  std::optional<std::int64_t> priceCents;
  std::int64_t createdAtMs = 0;
  std::int64_t updatedAtMs = 0;
  std::int64_t version = 1;
  friend bool operator==(const OrderSummary&, const OrderSummary&) = default;
};

enum class OrderSort {
  Newest,   // created_at desc, id desc
  Priority, // priority desc, then newest
};

// A list request: one page of the list that `statuses`, `search` and `sort` describe.
// With `search`, rows match when the order number or the customer name starts with it
// (case-insensitive); they come number matches first (by number), then customer matches
// (by customer name, then id), and `sort` does not apply.
// Which page: the first (no cursor, not `last`), the one after a page (`after`), the one
// before a page (`before`), or the last (`last`). At most one of the three may be given.
// Every page, in search mode too, is read by keyset over an index, never by OFFSET: the
// page before and the last page read the same index backwards.
struct OrderQuery {
  std::vector<domain::OrderStatus> statuses; // empty: every status
  std::string search;
  OrderSort sort = OrderSort::Newest;
  std::size_t limit = 50; // 1 .. 1000
  std::string after;      // a page's nextCursor: the page after it
  std::string before;     // a page's previousCursor: the page before it; the first page
                          // when fewer than `limit` rows come before it
  bool last = false;      // the list's last `limit` rows (the first page when the list is shorter)
};

// Rows are in display order whichever way the page was read.
struct OrderPage {
  std::vector<OrderSummary> orders;
  std::string nextCursor;     // empty when the list ends with this page
  std::string previousCursor; // empty when the list starts with this page
};

struct OrderCounts {
  std::int64_t total = 0;
  std::int64_t held = 0;
  std::map<domain::OrderStatus, std::int64_t> byStatus; // every asked status, zeros included
};

} // namespace opflow::store
