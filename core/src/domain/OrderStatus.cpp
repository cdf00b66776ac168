#include "opflow/domain/OrderStatus.h"

#include <fmt/format.h>

#include <array>

namespace opflow::domain {

namespace {

struct StatusInfo {
  OrderStatus status;
  const char* name;
  OrderSystem owner;
};

constexpr std::array kStatuses{
    StatusInfo{OrderStatus::Initiated, "INITIATED", OrderSystem::Shop},
    StatusInfo{OrderStatus::FileUploaded, "FILE_UPLOADED", OrderSystem::Shop},
    StatusInfo{OrderStatus::Submitted, "SUBMITTED", OrderSystem::Shop},
    StatusInfo{OrderStatus::PriceCalculated, "PRICE_CALCULATED", OrderSystem::Mes},
    StatusInfo{OrderStatus::ManufacturingApproved, "MANUFACTURING_APPROVED", OrderSystem::Crm},
    StatusInfo{OrderStatus::ManufacturingStarted, "MANUFACTURING_STARTED", OrderSystem::Mes},
    StatusInfo{OrderStatus::ManufacturingCompleted, "MANUFACTURING_COMPLETED", OrderSystem::Mes},
    StatusInfo{OrderStatus::Packaging, "PACKAGING", OrderSystem::Mes},
    StatusInfo{OrderStatus::Shipped, "SHIPPED", OrderSystem::Mes},
    StatusInfo{OrderStatus::Closed, "CLOSED", OrderSystem::Crm},
    StatusInfo{OrderStatus::Cancelled, "CANCELLED", OrderSystem::Crm},
};

constexpr std::array kAll{
    OrderStatus::Initiated,           OrderStatus::FileUploaded,          OrderStatus::Submitted,
    OrderStatus::PriceCalculated,     OrderStatus::ManufacturingApproved, OrderStatus::ManufacturingStarted,
    OrderStatus::ManufacturingCompleted, OrderStatus::Packaging,          OrderStatus::Shipped,
    OrderStatus::Closed,              OrderStatus::Cancelled,
};

const StatusInfo& info(OrderStatus status) { return kStatuses.at(static_cast<std::size_t>(status)); }

} // namespace

std::span<const OrderStatus> allOrderStatuses() { return kAll; }

const char* toString(OrderStatus status) { return info(status).name; }

Result<OrderStatus> parseOrderStatus(std::string_view text) {
  std::string valid;
  for (const StatusInfo& item : kStatuses) {
    if (text == item.name) {
      return item.status;
    }
    valid += valid.empty() ? "" : ", ";
    valid += item.name;
  }
  return makeError(ErrorCode::InvalidArgument, fmt::format("unknown order status \"{}\" (valid: {})", text, valid));
}

const char* toString(OrderSystem system) {
  switch (system) {
  case OrderSystem::Shop:
    return "shop";
  case OrderSystem::Mes:
    return "mes";
  case OrderSystem::Crm:
    return "crm";
  }
  return "?";
}

OrderSystem ownerOf(OrderStatus status) { return info(status).owner; }

int positionOf(OrderStatus status) { return static_cast<int>(status); }

bool isFinal(OrderStatus status) { return status == OrderStatus::Closed || status == OrderStatus::Cancelled; }

bool isAllowedTransition(OrderStatus from, OrderStatus to) {
  if (to == OrderStatus::Cancelled) {
    return positionOf(from) <= positionOf(OrderStatus::ManufacturingApproved);
  }
  return from != OrderStatus::Cancelled && positionOf(to) == positionOf(from) + 1;
}

std::vector<std::pair<OrderStatus, OrderStatus>> allowedTransitions() {
  std::vector<std::pair<OrderStatus, OrderStatus>> pairs;
  for (OrderStatus from : kAll) {
    for (OrderStatus to : nextStatuses(from)) {
      pairs.emplace_back(from, to);
    }
  }
  return pairs;
}

std::vector<OrderStatus> nextStatuses(OrderStatus from) {
  std::vector<OrderStatus> next;
  for (OrderStatus to : kAll) {
    if (to != OrderStatus::Cancelled && isAllowedTransition(from, to)) {
      next.push_back(to);
    }
  }
  if (isAllowedTransition(from, OrderStatus::Cancelled)) {
    next.push_back(OrderStatus::Cancelled);
  }
  return next;
}

} // namespace opflow::domain
