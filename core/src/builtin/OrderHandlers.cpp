#include "opflow/builtin/OrderHandlers.h"

#include <fmt/format.h>

namespace opflow::builtin {

namespace {

using engine::HandlerEffects;
using engine::HandlerInput;
using engine::HandlerResult;

// Binds a handler to the order store, or to an error when there is none.
engine::HandlerFn withOrders(store::OrderStore* orders, const char* name,
                             HandlerResult (*fn)(store::OrderStore&, const HandlerInput&, HandlerEffects&)) {
  return [orders, name, fn](const HandlerInput& in, HandlerEffects& fx) -> HandlerResult {
    if (!orders) {
      return makeError(ErrorCode::NotFound,
                       fmt::format("{} needs a workstation database (run with --db or $OPFLOW_DB)", name));
    }
    return fn(*orders, in, fx);
  };
}

HandlerResult transition(store::OrderStore& orders, const HandlerInput& in, HandlerEffects& fx) {
  const Json* number = in.args.contains("order") ? &in.args["order"] : nullptr;
  const Json* to = in.args.contains("to") ? &in.args["to"] : nullptr;
  if (!number || !number->is_string() || number->get<std::string>().empty()) {
    return makeError(ErrorCode::InvalidArgument, "order.transition needs `with.order`: the order number (text)");
  }
  if (!to || !to->is_string()) {
    return makeError(ErrorCode::InvalidArgument, "order.transition needs `with.to`: the target status (text)");
  }
  auto status = domain::parseOrderStatus(to->get<std::string>());
  if (!status) {
    return status.error();
  }
  store::OrderActor actor{in.context.user, in.context.role, in.context.workstation, in.context.correlationId,
                          in.context.runId.str()};
  auto moved = orders.transition(number->get<std::string>(), *status, actor);
  if (!moved) {
    if (moved.error().code == ErrorCode::Conflict) {
      fx.set("order_refusal", moved.error().message);
      return std::string("refused");
    }
    return moved.error();
  }
  fx.set("order_status", Json{{"number", moved->number},
                              {"status", domain::toString(moved->status)},
                              {"version", moved->version}});
  return std::string();
}

} // namespace

Status registerOrderHandlers(engine::HandlerRegistry& registry, store::OrderStore* orders) {
  return registry.add({"order.transition",
                       {"refused"},
                       true,
                       "Moves an order one allowed step (audited, durable); \"refused\" when the move is not allowed.",
                       withOrders(orders, "order.transition", transition)});
}

} // namespace opflow::builtin
