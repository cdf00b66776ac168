#include "opflow/builtin/OrderOperations.h"

#include <algorithm>
#include <string_view>

namespace opflow::builtin {

namespace {

// The handlers whose nodes say what an operation does to an order (OrderHandlers.h).
constexpr std::string_view kCheckMove = "order.check_move";
constexpr std::string_view kHold = "order.hold";
constexpr std::string_view kRelease = "order.release";
constexpr std::string_view kRecordReview = "order.record_review";
constexpr std::string_view kCreate = "order.create";

const model::ActionNode* actionOf(const model::Node* node) {
  return node ? std::get_if<model::ActionNode>(&node->spec) : nullptr;
}

bool hasHandlerNode(const model::OperationDefinition& definition, std::string_view handler) {
  return std::any_of(definition.nodes.begin(), definition.nodes.end(), [handler](const model::Node& node) {
    const model::ActionNode* action = actionOf(&node);
    return action && action->handler == handler;
  });
}

bool takesOrder(const model::OperationDefinition& definition) {
  const model::InputSpec* order = definition.findInput("order");
  return order && order->type == model::InputType::String;
}

// The status a check_move node moves to, when its `with.to` is literal text naming one.
std::optional<domain::OrderStatus> literalTarget(const model::ActionNode& check) {
  auto to = check.with.find("to");
  if (to == check.with.end() || !to->is_string()) {
    return std::nullopt;
  }
  auto status = domain::parseOrderStatus(to->get<std::string>());
  return status ? std::optional(*status) : std::nullopt;
}

bool appliesTo(const OrderOperation& candidate, const store::Order& order) {
  switch (candidate.effect) {
  case OrderEffect::Review: return order.status == domain::OrderStatus::Shipped;
  case OrderEffect::Move:
    return !order.hold && candidate.to && domain::isAllowedTransition(order.status, *candidate.to);
  case OrderEffect::Release: return order.hold.has_value();
  case OrderEffect::Hold: return !order.hold && !domain::isFinal(order.status);
  }
  return false;
}

// Where an operation is offered among the others (see applicableOperations).
std::pair<int, int> rank(const OrderOperation& operation) {
  if (operation.to == domain::OrderStatus::Cancelled) {
    return {static_cast<int>(OrderEffect::Hold) + 1, 0};
  }
  return {static_cast<int>(operation.effect), operation.to ? domain::positionOf(*operation.to) : 0};
}

} // namespace

std::optional<OrderOperation> orderOperationOf(const engine::OperationPtr& operation) {
  if (!operation || !takesOrder(operation->definition())) {
    return std::nullopt;
  }
  const model::OperationDefinition& definition = operation->definition();
  if (const model::ActionNode* first = actionOf(definition.findNode(definition.startsWith))) {
    if (first->handler == kCheckMove) {
      auto to = literalTarget(*first);
      if (!to) {
        return std::nullopt;
      }
      return OrderOperation{operation, OrderEffect::Move, to};
    }
    if (first->handler == kHold) {
      return OrderOperation{operation, OrderEffect::Hold, std::nullopt};
    }
    if (first->handler == kRelease) {
      return OrderOperation{operation, OrderEffect::Release, std::nullopt};
    }
  }
  if (hasHandlerNode(definition, kRecordReview)) {
    return OrderOperation{operation, OrderEffect::Review, std::nullopt};
  }
  return std::nullopt;
}

bool mayStart(const model::OperationDefinition& operation, domain::Role role) {
  if (!domain::allows(role, domain::Permission::Act)) {
    return false;
  }
  const std::string name = domain::toString(role);
  return operation.roles.empty() || std::find(operation.roles.begin(), operation.roles.end(), name) != operation.roles.end();
}

std::vector<OrderOperation> applicableOperations(const engine::OperationCatalog& catalog, const store::Order& order,
                                                 domain::Role role) {
  std::vector<OrderOperation> applicable;
  for (const engine::OperationPtr& operation : catalog.latestVersions()) {
    auto candidate = orderOperationOf(operation);
    if (candidate && mayStart(operation->definition(), role) && appliesTo(*candidate, order)) {
      applicable.push_back(std::move(*candidate));
    }
  }
  std::stable_sort(applicable.begin(), applicable.end(),
                   [](const OrderOperation& a, const OrderOperation& b) { return rank(a) < rank(b); });
  return applicable;
}

std::vector<engine::OperationPtr> newOrderOperations(const engine::OperationCatalog& catalog, domain::Role role) {
  std::vector<engine::OperationPtr> makers;
  for (const engine::OperationPtr& operation : catalog.latestVersions()) {
    const model::OperationDefinition& definition = operation->definition();
    if (!takesOrder(definition) && hasHandlerNode(definition, kCreate) && mayStart(definition, role)) {
      makers.push_back(operation);
    }
  }
  std::sort(makers.begin(), makers.end(),
            [](const engine::OperationPtr& a, const engine::OperationPtr& b) { return a->name() < b->name(); });
  return makers;
}

} // namespace opflow::builtin
