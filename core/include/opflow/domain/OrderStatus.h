// OrderStatus: where an order is in its life, which system owns that step, and which
// moves between statuses are allowed (seed 004, DESIGN.md "Domain").
//
//   INITIATED -> FILE_UPLOADED -> SUBMITTED            (owner: shop)
//   -> PRICE_CALCULATED                                (MES)
//   -> MANUFACTURING_APPROVED                          (CRM)
//   -> MANUFACTURING_STARTED -> MANUFACTURING_COMPLETED -> PACKAGING -> SHIPPED (MES)
//   -> CLOSED                                          (CRM)
//   CANCELLED (CRM) is reachable from INITIATED .. MANUFACTURING_APPROVED.
//
// A move is one step forward, or a cancel where allowed; nothing else. The store's
// order_transitions table holds the same pairs (a test keeps them equal).
// Thread-safety: pure functions over constant tables.
#pragma once

#include "opflow/Result.h"

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace opflow::domain {

enum class OrderStatus {
  Initiated,
  FileUploaded,
  Submitted,
  PriceCalculated,
  ManufacturingApproved,
  ManufacturingStarted,
  ManufacturingCompleted,
  Packaging,
  Shipped,
  Closed,
  Cancelled,
};

// The system that owns a status: the one that moves an order into it.
enum class OrderSystem { Shop, Mes, Crm };

// Every status, in lifecycle order (CANCELLED last).
[[nodiscard]] std::span<const OrderStatus> allOrderStatuses();

// "MANUFACTURING_APPROVED", ...
[[nodiscard]] const char* toString(OrderStatus status);
// Parses the exact upper-case name; the error names the bad value and lists the valid ones.
[[nodiscard]] Result<OrderStatus> parseOrderStatus(std::string_view text);

// "shop", "mes", "crm".
[[nodiscard]] const char* toString(OrderSystem system);
[[nodiscard]] OrderSystem ownerOf(OrderStatus status);

// The position in the lifecycle (0 for INITIATED); CANCELLED comes after CLOSED.
[[nodiscard]] int positionOf(OrderStatus status);
[[nodiscard]] bool isFinal(OrderStatus status);

// True for one step forward, or a cancel from INITIATED .. MANUFACTURING_APPROVED.
[[nodiscard]] bool isAllowedTransition(OrderStatus from, OrderStatus to);
// Every allowed (from, to) pair.
[[nodiscard]] std::vector<std::pair<OrderStatus, OrderStatus>> allowedTransitions();
// The statuses an order in `from` may move to (next step first, then CANCELLED).
[[nodiscard]] std::vector<OrderStatus> nextStatuses(OrderStatus from);

} // namespace opflow::domain
