#include "opflow/builtin/OrderHandlers.h"

#include "opflow/store/UtcTime.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>

namespace opflow::builtin {

namespace {

using engine::HandlerEffects;
using engine::HandlerInput;
using engine::HandlerResult;
using HandlerBody = std::function<HandlerResult(store::OrderStore&, const HandlerInput&, HandlerEffects&)>;

// Binds a handler to the order store, or to an error when there is none.
engine::HandlerFn withOrders(store::OrderStore* orders, const char* name, HandlerBody fn) {
  return [orders, name, fn = std::move(fn)](const HandlerInput& in, HandlerEffects& fx) -> HandlerResult {
    if (!orders) {
      return makeError(ErrorCode::NotFound,
                       fmt::format("{} needs a workstation database (run with --db or $OPFLOW_DB)", name));
    }
    return fn(*orders, in, fx);
  };
}

store::OrderActor actorOf(const HandlerInput& in) {
  return {in.context.user, in.context.role, in.context.workstation, in.context.correlationId, in.context.runId.str()};
}

const Json* argument(const HandlerInput& in, const char* key) {
  if (!in.args.contains(key) || in.args[key].is_null()) {
    return nullptr;
  }
  return &in.args[key];
}

// A required, non-empty text argument.
Result<std::string> requiredText(const HandlerInput& in, const char* handler, const char* key, const char* what) {
  const Json* value = argument(in, key);
  if (!value || !value->is_string() || value->get<std::string>().empty()) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("{} needs `with.{}`: {} (text)", handler, key, what));
  }
  return value->get<std::string>();
}

// An optional text argument ("" when absent).
Result<std::string> optionalText(const HandlerInput& in, const char* handler, const char* key) {
  const Json* value = argument(in, key);
  if (!value) {
    return std::string();
  }
  if (!value->is_string()) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("{}: `with.{}` must be text, not {}", handler, key, value->dump()));
  }
  return value->get<std::string>();
}

// A store refusal leaves by `exit`; anything else is the handler's error.
HandlerResult refusedOr(const Error& error, HandlerEffects& fx, const char* exit = "refused") {
  if (error.code == ErrorCode::Conflict || error.code == ErrorCode::PermissionDenied) {
    fx.set("order_refusal", error.message);
    return std::string(exit);
  }
  return error;
}

void writeOrder(const store::Order& order, HandlerEffects& fx) {
  fx.set("order_status",
         Json{{"number", order.number}, {"status", domain::toString(order.status)}, {"version", order.version}});
  fx.set("order", orderView(order));
}

HandlerResult load(store::OrderStore& orders, const HandlerInput& in, HandlerEffects& fx) {
  auto number = requiredText(in, "order.load", "order", "the order number");
  if (!number) {
    return number.error();
  }
  auto order = orders.get(*number);
  if (!order) {
    if (order.error().code == ErrorCode::NotFound) {
      fx.set("order_refusal", order.error().message);
      return std::string("not_found");
    }
    return order.error();
  }
  fx.set("order", orderView(*order));
  return std::string();
}

HandlerResult checkMove(store::OrderStore& orders, const HandlerInput& in, HandlerEffects& fx) {
  static constexpr const char* kName = "order.check_move";
  auto number = requiredText(in, kName, "order", "the order number");
  if (!number) {
    return number.error();
  }
  auto to = requiredText(in, kName, "to", "the status the operation will move the order to");
  if (!to) {
    return to.error();
  }
  auto status = domain::parseOrderStatus(*to);
  if (!status) {
    return status.error();
  }
  auto order = orders.checkTransition(*number, *status, actorOf(in));
  if (!order) {
    if (order.error().code == ErrorCode::NotFound) {
      fx.set("order_refusal", order.error().message);
      return std::string("not_found");
    }
    return refusedOr(order.error(), fx);
  }
  fx.set("order", orderView(*order));
  return std::string();
}

HandlerResult create(store::OrderStore& orders, const HandlerInput& in, HandlerEffects& fx) {
  static constexpr const char* kName = "order.create";
  auto customer = requiredText(in, kName, "customer", "the customer's name");
  if (!customer) {
    return customer.error();
  }
  store::NewOrder order;
  order.customer = *customer;
  for (auto [key, field] : {std::pair{"number", &order.number}, std::pair{"material", &order.material},
                            std::pair{"file_name", &order.fileName}}) {
    auto value = optionalText(in, kName, key);
    if (!value) {
      return value.error();
    }
    *field = *value;
  }
  if (const Json* priority = argument(in, "priority")) {
    if (!priority->is_number_integer()) {
      return makeError(ErrorCode::InvalidArgument,
                       fmt::format("{}: `with.priority` must be 0 (low) to 3 (urgent), not {}", kName, priority->dump()));
    }
    order.priority = priority->get<int>();
  }
  static constexpr std::array kColumns{"customer", "number", "material", "file_name", "priority"};
  for (const auto& [key, value] : in.args.items()) {
    if (std::find(kColumns.begin(), kColumns.end(), key) == kColumns.end() && !value.is_null()) {
      order.details[key] = value;
    }
  }
  auto created = orders.create(order, actorOf(in));
  if (!created) {
    return refusedOr(created.error(), fx);
  }
  fx.set("order", orderView(*created));
  return std::string();
}

HandlerResult transition(store::OrderStore& orders, const HandlerInput& in, HandlerEffects& fx) {
  static constexpr const char* kName = "order.transition";
  auto number = requiredText(in, kName, "order", "the order number");
  if (!number) {
    return number.error();
  }
  auto to = requiredText(in, kName, "to", "the target status");
  if (!to) {
    return to.error();
  }
  auto status = domain::parseOrderStatus(*to);
  if (!status) {
    return status.error();
  }
  store::TransitionRecord record;
  if (const Json* fields = argument(in, "record")) {
    if (!fields->is_object()) {
      return makeError(ErrorCode::InvalidArgument,
                       fmt::format("{}: `with.record` must be an object, not {}", kName, fields->dump()));
    }
    record.record = *fields;
  }
  if (const Json* signature = argument(in, "signature")) {
    auto parsed = store::parseOrderSignature(*signature);
    if (!parsed) {
      return parsed.error();
    }
    record.signature = *parsed;
  }
  auto reason = optionalText(in, kName, "reason");
  if (!reason) {
    return reason.error();
  }
  record.reason = *reason;
  auto moved = orders.transition(*number, *status, actorOf(in), record);
  if (!moved) {
    return refusedOr(moved.error(), fx);
  }
  writeOrder(*moved, fx);
  return std::string();
}

HandlerResult hold(store::OrderStore& orders, const HandlerInput& in, HandlerEffects& fx) {
  static constexpr const char* kName = "order.hold";
  auto number = requiredText(in, kName, "order", "the order number");
  if (!number) {
    return number.error();
  }
  auto code = requiredText(in, kName, "reason", "the hold reason code");
  if (!code) {
    return code.error();
  }
  auto reason = domain::parseHoldReason(*code);
  if (!reason) {
    return reason.error();
  }
  auto note = optionalText(in, kName, "note");
  if (!note) {
    return note.error();
  }
  auto held = orders.hold(*number, *reason, actorOf(in), *note);
  if (!held) {
    return refusedOr(held.error(), fx);
  }
  writeOrder(*held, fx);
  return std::string();
}

HandlerResult release(store::OrderStore& orders, const HandlerInput& in, HandlerEffects& fx) {
  static constexpr const char* kName = "order.release";
  auto number = requiredText(in, kName, "order", "the order number");
  if (!number) {
    return number.error();
  }
  auto note = optionalText(in, kName, "note");
  if (!note) {
    return note.error();
  }
  auto released = orders.release(*number, actorOf(in), *note);
  if (!released) {
    return refusedOr(released.error(), fx);
  }
  writeOrder(*released, fx);
  return std::string();
}

Json reviewView(const store::OrderReview& review) {
  Json view{{"reviewer", review.reviewer},
            {"role", review.role},
            {"at", store::formatUtcMs(review.atMs)},
            {"through_seq", review.throughSeq},
            {"audit_seq", review.auditSeq},
            {"shop_position", review.shopPosition ? Json(*review.shopPosition) : Json(nullptr)},
            {"signature", nullptr}};
  if (review.signature) {
    view["signature"] = store::toJson(*review.signature);
  }
  return view;
}

HandlerResult recordReview(store::OrderStore& orders, ShopTrail* shop, const HandlerInput& in, HandlerEffects& fx) {
  static constexpr const char* kName = "order.record_review";
  auto number = requiredText(in, kName, "order", "the order number");
  if (!number) {
    return number.error();
  }
  std::optional<store::OrderSignature> signature;
  if (const Json* given = argument(in, "signature")) {
    auto parsed = store::parseOrderSignature(*given);
    if (!parsed) {
      return parsed.error();
    }
    signature = *parsed;
  }
  std::optional<std::int64_t> throughSeq;
  if (const Json* seq = argument(in, "through_seq")) {
    if (!seq->is_number_integer()) {
      return makeError(ErrorCode::InvalidArgument,
                       fmt::format("{}: `with.through_seq` must be an audit entry's seq, not {}", kName, seq->dump()));
    }
    throughSeq = seq->get<std::int64_t>();
  }
  // Offline, the review covers what this workstation holds; closing tells whether that is
  // enough.
  std::optional<std::int64_t> shopPosition;
  if (shop) {
    auto mark = shop->reviewMark(*number);
    if (!mark && mark.error().code != ErrorCode::Unavailable) {
      return mark.error();
    }
    shopPosition = mark ? *mark : std::nullopt;
  }
  auto review = orders.recordReview(*number, actorOf(in), signature, throughSeq, shopPosition);
  if (!review) {
    return refusedOr(review.error(), fx);
  }
  fx.set("review", reviewView(*review));
  return std::string();
}

// Why the shop's latest review of `number` does not let the order close; empty when it does.
std::string shopReviewRefusal(const std::string& number, const ShopReviewFinding& finding) {
  if (!finding.review) {
    return fmt::format("no supervisor has reviewed the audit trail of order {} since it was shipped, at any "
                       "workstation of the shop",
                       number);
  }
  const std::vector<UnreviewedEntry>& unseen = finding.unseen;
  if (unseen.empty()) {
    return {};
  }
  constexpr std::size_t kNamed = 3;
  std::string named;
  for (std::size_t i = 0; i < std::min(kNamed, unseen.size()); ++i) {
    const UnreviewedEntry& entry = unseen[i];
    named += fmt::format("{}{} #{} {} by {} at {}", i == 0 ? "" : "; ", entry.workstation, entry.seq, entry.action,
                         entry.user, store::formatUtcMs(entry.atMs));
  }
  if (unseen.size() > kNamed) {
    named += fmt::format("; and {} more", unseen.size() - kNamed);
  }
  return fmt::format("the review of order {} by {} at {} did not see {} audit {} the shop recorded since the order "
                     "was shipped ({}): review its audit trail again, with the whole shop in view",
                     number, finding.review->reviewer, finding.reviewedAt, unseen.size(),
                     unseen.size() == 1 ? "entry" : "entries", named);
}

HandlerResult findReview(store::OrderStore& orders, ShopTrail* shop, const HandlerInput& in, HandlerEffects& fx) {
  auto number = requiredText(in, "order.find_review", "order", "the order number");
  if (!number) {
    return number.error();
  }
  if (shop) {
    auto finding = shop->latestReview(*number, in.context.correlationId);
    if (!finding && finding.error().code == ErrorCode::Unavailable) {
      fx.set("order_refusal", fmt::format("order {} closes once the audit trail of every workstation of the shop is "
                                          "reviewed, and {}: close it when this workstation is online again",
                                          *number, finding.error().message));
      return std::string("not_reviewed");
    }
    if (!finding) {
      return finding.error();
    }
    if (*finding) {
      if (std::string refusal = shopReviewRefusal(*number, **finding); !refusal.empty()) {
        fx.set("order_refusal", refusal);
        return std::string("not_reviewed");
      }
      Json view = reviewView(*(*finding)->review);
      view["workstation"] = (*finding)->reviewedAt;
      fx.set("review", view);
      return std::string();
    }
  }
  auto review = orders.findReview(*number);
  if (!review) {
    return review.error();
  }
  if (!*review) {
    fx.set("order_refusal",
           fmt::format("no supervisor has reviewed the audit trail of order {} since it was shipped", *number));
    return std::string("not_reviewed");
  }
  fx.set("review", reviewView(**review));
  return std::string();
}

} // namespace

Json orderView(const store::Order& order) {
  return Json{{"number", order.number},
              {"customer", order.customer},
              {"status", domain::toString(order.status)},
              {"priority", order.priority},
              {"price_cents", order.priceCents ? Json(*order.priceCents) : Json(nullptr)},
              {"material", order.material},
              {"file_name", order.fileName},
              {"hold", order.hold ? Json(domain::toString(*order.hold)) : Json(nullptr)},
              {"assigned_operator", order.assignedOperator.empty() ? Json(nullptr) : Json(order.assignedOperator)},
              {"version", order.version},
              {"details", order.details},
              {"created_at", store::formatUtcMs(order.createdAtMs)},
              {"updated_at", store::formatUtcMs(order.updatedAtMs)}};
}

Status registerOrderHandlers(engine::HandlerRegistry& registry, store::OrderStore* orders, ShopTrail* shop) {
  struct Entry {
    const char* name;
    std::vector<std::string> exits;
    bool idempotent;
    const char* description;
    HandlerBody body;
  };
  const std::array entries{
      Entry{"order.load", {"not_found"}, true, "Reads an order into the run's data; \"not_found\" when there is none.", load},
      Entry{"order.check_move",
            {"refused", "not_found"},
            true,
            "Reads an order and checks that it may move to a status now (allowed by the status model, not on "
            "hold); \"refused\" (audited) otherwise.",
            checkMove},
      Entry{"order.create", {"refused"}, false, "Creates an order in INITIATED (audited, durable; not safe to repeat).", create},
      Entry{"order.transition",
            {"refused"},
            true,
            "Moves an order one allowed step, recording what the step found and its signature (audited, durable); "
            "\"refused\" when the move is not allowed.",
            transition},
      Entry{"order.hold", {"refused"}, false,
            "Puts an order on hold with a reason code (audited; not safe to repeat: a second hold is refused).", hold},
      Entry{"order.release", {"refused"}, false,
            "Releases a held order (audited; not safe to repeat: a second release is refused).", release},
      Entry{"order.record_review",
            {"refused"},
            false,
            "Records that a supervisor reviewed the order's audit trail, and how far they saw the shop's "
            "(audited; not safe to repeat).",
            [shop](store::OrderStore& store, const HandlerInput& in, HandlerEffects& fx) {
              return recordReview(store, shop, in, fx);
            }},
      Entry{"order.find_review",
            {"not_reviewed"},
            true,
            "Finds the review of the order's audit trail since it was shipped (in a shop: one that saw every "
            "workstation's entries about it); \"not_reviewed\" when none.",
            [shop](store::OrderStore& store, const HandlerInput& in, HandlerEffects& fx) {
              return findReview(store, shop, in, fx);
            }},
  };
  for (const Entry& entry : entries) {
    if (Status added = registry.add({entry.name, entry.exits, entry.idempotent, entry.description,
                                     withOrders(orders, entry.name, entry.body)});
        !added) {
      return added;
    }
  }
  return {};
}

} // namespace opflow::builtin
