// Orders: writes on the writer thread (one transaction with history, audit and outbox), reads on
// reader connections; lists over the covering indexes of OrdersSchema.cpp (OrderListing.cpp).
#include "opflow/store/OrderStore.h"

#include "OrderListing.h"

#include "opflow/Text.h"
#include "opflow/domain/OrderNumber.h"
#include "opflow/engine/RunId.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/OrderNumbers.h"
#include "opflow/store/Outbox.h"
#include "opflow/store/SharedOrders.h"
#include "opflow/store/UtcTime.h"

#include <fmt/format.h>

#include <algorithm>

namespace opflow::store {

namespace {

using domain::HoldReason;
using domain::OrderStatus;

constexpr const char* kOrderColumns =
    "id, number, customer, status, priority, price_cents, material, file_name, created_at, updated_at, "
    "assigned_operator, hold_reason, version, details";
// The role that reads orders and changes none.
constexpr std::string_view kReadOnlyRole = "manager";
constexpr std::size_t kMaxOrderNameLength = 200;

OrderStatus statusFromText(std::string_view text) {
  auto parsed = domain::parseOrderStatus(text);
  return parsed ? *parsed : OrderStatus::Initiated;
}

Order readOrder(const Statement& row) {
  Order order;
  order.id = row.int64(0);
  order.number = row.text(1);
  order.customer = row.text(2);
  order.status = statusFromText(row.textView(3));
  order.priority = static_cast<int>(row.int64(4));
  if (!row.isNull(5)) {
    order.priceCents = row.int64(5);
  }
  order.material = row.text(6);
  order.fileName = row.text(7);
  order.createdAtMs = row.int64(8);
  order.updatedAtMs = row.int64(9);
  order.assignedOperator = row.text(10);
  if (!row.isNull(11)) {
    auto reason = domain::parseHoldReason(row.textView(11));
    if (reason) {
      order.hold = *reason;
    }
  }
  order.version = row.int64(12);
  Json details = Json::parse(row.textView(13), nullptr, false);
  if (details.is_object()) {
    order.details = std::move(details);
  }
  return order;
}

Result<std::optional<Order>> loadOrder(Database& db, const std::string& number) {
  return selectOne(db, fmt::format("SELECT {} FROM orders WHERE number = ?", kOrderColumns), readOrder, number);
}

Error noSuchOrder(const std::string& number) {
  return makeError(ErrorCode::NotFound, fmt::format("no order \"{}\"", number));
}

// The order, or NotFound naming the number.
Result<Order> loadExisting(Database& db, const std::string& number) {
  auto found = loadOrder(db, number);
  if (!found) {
    return found.error();
  }
  if (!*found) {
    return noSuchOrder(number);
  }
  return std::move(**found);
}

// What `read` reads about order `number` (NotFound when there is none), with the order,
// in one snapshot of a reader connection.
template <class Read>
auto readAboutOrder(LocalStore& store, const std::string& number, Read read)
    -> decltype(read(std::declval<Database&>(), std::declval<const Order&>())) {
  auto db = store.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto snapshot = Transaction::begin(**db, Transaction::Kind::Deferred);
  if (!snapshot) {
    return snapshot.error();
  }
  auto order = loadExisting(**db, number);
  if (!order) {
    return order.error();
  }
  return read(**db, *order);
}

Json stateJson(const Order& order) {
  return Json{{"status", domain::toString(order.status)},
              {"version", order.version},
              {"hold_reason", order.hold ? Json(domain::toString(*order.hold)) : Json(nullptr)}};
}


Status audit(Database& db, const OrderActor& actor, const std::string& action, const std::string& number,
             Json before, Json after, std::string reason) {
  AuditEntry entry;
  entry.user = actor.user;
  entry.role = actor.role;
  entry.workstation = actor.workstation;
  entry.correlationId = actor.correlationId;
  entry.action = action;
  entry.subjectType = "order";
  entry.subjectId = number;
  entry.orderNumber = number;
  if (!actor.runId.empty() && after.is_object()) {
    after["run_id"] = actor.runId;
  }
  entry.before = std::move(before);
  entry.after = std::move(after);
  entry.reason = std::move(reason);
  return appendAudit(db, entry);
}

// The order's status timeline gains the status it just entered.
Status appendHistory(Database& db, std::int64_t orderId, std::int64_t atMs, OrderStatus status) {
  auto insert = db.prepare("INSERT INTO order_history (order_id, at, status) VALUES (?, ?, ?)");
  if (!insert) {
    return insert.error();
  }
  (*insert)->bind(1, orderId).bind(2, atMs).bind(3, domain::positionOf(status));
  return (*insert)->run();
}

// The change for the shared database: the order as it left it, who made it how (the
// shared side checks the actor's authority and the signature the change records again,
// and a conflict names them), and the event whose state it was made on (the order row's
// sync_event_id, which becomes this change's own).
Status publish(Database& db, const Order& order, std::int64_t baseVersion, const OrderActor& actor,
               std::string_view action, const Json& signature = nullptr) {
  auto base = selectOne(
      db, "SELECT sync_event_id FROM orders WHERE number = ?",
      [](const Statement& row) { return row.isNull(0) ? Json(nullptr) : Json(row.text(0)); }, order.number);
  if (!base) {
    return base.error();
  }
  const std::string eventId = engine::newUuidV7();
  auto mark = db.prepare("UPDATE orders SET sync_event_id = ? WHERE number = ?");
  if (!mark) {
    return mark.error();
  }
  (*mark)->bind(1, eventId).bind(2, order.number);
  if (Status marked = (*mark)->run(); !marked) {
    return marked;
  }
  Json change{{"action", action},
              {"user", actor.user},
              {"role", actor.role},
              {"workstation", actor.workstation},
              {"correlation_id", actor.correlationId},
              {"run_id", actor.runId.empty() ? Json(nullptr) : Json(actor.runId)},
              {"base_event", base->value_or(Json(nullptr))}};
  if (!signature.is_null()) {
    change["signature"] = signature;
  }
  return appendOutbox(db, {eventId, "order.changed", order.number, baseVersion,
                           Json{{"order", orderToJson(order)}, {"change", std::move(change)}}});
}

// Records a change already made to the order's row: audit (its `after` gains `extra`'s
// keys) and outbox. `after` receives the order as it now is.
Status recordChange(Database& db, const Order& before, const OrderActor& actor, const std::string& action,
                    std::string reason, Order& after, const Json& extra = Json::object()) {
  auto reloaded = loadExisting(db, before.number);
  if (!reloaded) {
    return reloaded.error();
  }
  after = *reloaded;
  Json state = stateJson(after);
  state.update(extra);
  if (Status audited = audit(db, actor, action, before.number, stateJson(before), std::move(state), std::move(reason));
      !audited) {
    return audited;
  }
  return publish(db, after, before.version, actor, action, extra.value("signature", Json()));
}

// Why `current` may not move to `to` now; empty when it may.
std::string moveRefusal(const Order& current, OrderStatus to, std::optional<std::int64_t> expectedVersion) {
  if (current.hold) {
    return fmt::format("order {} is on hold ({}): release it before moving it to {}", current.number,
                       domain::toString(*current.hold), domain::toString(to));
  }
  if (!domain::isAllowedTransition(current.status, to)) {
    std::string allowed;
    for (OrderStatus next : domain::nextStatuses(current.status)) {
      allowed += allowed.empty() ? "" : ", ";
      allowed += domain::toString(next);
    }
    return fmt::format("order {} cannot move from {} to {} (allowed: {})", current.number,
                       domain::toString(current.status), domain::toString(to),
                       allowed.empty() ? "none, the order is final" : allowed);
  }
  if (expectedVersion && *expectedVersion != current.version) {
    return fmt::format("order {} is at version {}, not the expected {}: it changed meanwhile", current.number,
                       current.version, *expectedVersion);
  }
  return {};
}

bool isReadOnly(const OrderActor& actor) { return actor.role == kReadOnlyRole; }

// A name an order shows in every list: one line of at most kMaxOrderNameLength
// characters, no control characters (they would repaint the terminal that lists it).
Status checkOrderName(const char* what, const std::string& text) {
  if (auto fault = textFault(text)) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("{} holds a {} (at byte {}): names are one line of text", what, fault->what,
                                 fault->offset));
  }
  if (const std::size_t length = codePointCount(text); length > kMaxOrderNameLength) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("{} has {} characters, over the limit of {}", what, length, kMaxOrderNameLength));
  }
  return {};
}

// Audits a manager's attempted change and sets `refusal` to the reason.
Status refuseReadOnly(Database& db, const OrderActor& actor, const std::string& change, const std::string& number,
                      std::string& refusal) {
  refusal = fmt::format("user \"{}\" has the role \"{}\", which may read orders but not change them ({} refused)",
                        actor.user, actor.role, change);
  return audit(db, actor, "order.change_refused", number, nullptr, Json{{"change", change}}, refusal);
}

// The order's columns and details after `record` is applied to `order`.
Status applyRecord(const Json& record, Order& order) {
  if (!record.is_object()) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("an order record must be an object, not {}", record.dump()));
  }
  auto optionalText = [&](const std::string& key, const Json& value, std::string& column) -> Status {
    if (value.is_null()) {
      column.clear();
    } else if (value.is_string()) {
      if (Status named = checkOrderName(key.c_str(), value.get<std::string>()); !named) {
        return named;
      }
      column = value.get<std::string>();
    } else {
      return makeError(ErrorCode::InvalidArgument,
                       fmt::format("record key \"{}\" must be text or null, not {}", key, value.dump()));
    }
    return {};
  };
  for (const auto& [key, value] : record.items()) {
    Status applied;
    if (key == "price_cents") {
      if (value.is_null()) {
        order.priceCents.reset();
      } else if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
        order.priceCents = value.get<std::int64_t>();
      } else {
        applied = makeError(ErrorCode::InvalidArgument,
                            fmt::format("record key \"price_cents\" must be whole cents >= 0 or null, not {}", value.dump()));
      }
    } else if (key == "material") {
      applied = optionalText(key, value, order.material);
    } else if (key == "file_name") {
      applied = optionalText(key, value, order.fileName);
    } else if (key == "assigned_operator") {
      applied = optionalText(key, value, order.assignedOperator);
    } else {
      order.details[key] = value;
    }
    if (!applied) {
      return applied;
    }
  }
  return {};
}

// The order's last audit entry (0 when it has none).
Result<std::int64_t> lastAuditSeq(Database& db, const std::string& number) {
  auto select = db.prepare("SELECT coalesce(max(seq), 0) FROM audit WHERE order_number = ?");
  if (!select) {
    return select.error();
  }
  (*select)->bind(1, number);
  auto row = (*select)->step();
  if (!row) {
    return row.error();
  }
  return (*select)->int64(0);
}

// The run that made the order's last status change ("" when none did).
Result<std::string> lastMoveRun(Database& db, const std::string& number) {
  auto run = selectOne(db,
                       "SELECT coalesce(json_extract(after, '$.run_id'), '') FROM audit "
                       "WHERE order_number = ? AND action = 'order.status_changed' ORDER BY seq DESC LIMIT 1",
                       [](const Statement& row) { return row.text(0); }, number);
  if (!run) {
    return run.error();
  }
  return run->value_or(std::string());
}

OrderActor withCorrelation(OrderActor actor) {
  if (actor.correlationId.empty()) {
    actor.correlationId = engine::newUuidV7();
  }
  return actor;
}

} // namespace

namespace {

// The signature as the signature store recorded it: a change records only a signature
// that store gave (checked password, audited), with the signer, role and meaning it
// claims; InvalidArgument names the mismatch.
Result<OrderSignature> recordedSignature(Database& db, const OrderSignature& claimed) {
  auto stored = selectOne(
      db, "SELECT id, signer, role, meaning, at FROM signatures WHERE id = ?",
      [](const Statement& row) { return OrderSignature{row.text(0), row.text(1), row.text(2), row.text(3), row.int64(4)}; },
      claimed.id);
  if (!stored) {
    return stored.error();
  }
  if (!*stored) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("signature \"{}\" was not given through the signature store", claimed.id));
  }
  const OrderSignature& recorded = **stored;
  if (recorded.signer != claimed.signer || recorded.role != claimed.role || recorded.meaning != claimed.meaning) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("signature {} is {}'s ({}) \"{}\", not {}'s ({}) \"{}\"", recorded.id, recorded.signer,
                                 recorded.role, recorded.meaning, claimed.signer, claimed.role, claimed.meaning));
  }
  return recorded;
}

} // namespace

Json toJson(const OrderSignature& signature) {
  return Json{{"id", signature.id},
              {"signer", signature.signer},
              {"role", signature.role},
              {"meaning", signature.meaning},
              {"at", formatUtcMs(signature.atMs)}};
}

Result<OrderSignature> parseOrderSignature(const Json& json) {
  auto malformed = [&](const std::string& why) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("malformed signature {}: {}", json.dump(), why));
  };
  if (!json.is_object()) {
    return malformed("expected an object with id, signer, role, meaning and at");
  }
  OrderSignature signature;
  for (auto [key, field] : {std::pair{"id", &signature.id}, std::pair{"signer", &signature.signer},
                            std::pair{"role", &signature.role}, std::pair{"meaning", &signature.meaning}}) {
    if (!json.contains(key) || !json[key].is_string() || json[key].get<std::string>().empty()) {
      return malformed(fmt::format("\"{}\" must be non-empty text", key));
    }
    *field = json[key].get<std::string>();
  }
  const Json at = json.contains("at") ? json["at"] : Json();
  if (at.is_number_integer()) {
    signature.atMs = at.get<std::int64_t>();
  } else if (at.is_string()) {
    auto parsed = parseUtcTime(at.get<std::string>());
    if (!parsed) {
      return malformed(parsed.error().message);
    }
    signature.atMs = *parsed;
  } else {
    return malformed("\"at\" must be a UTC time (text) or milliseconds since the epoch");
  }
  return signature;
}

OrderReview reviewFromAudit(std::string reviewer, std::string role, std::int64_t atMs, std::int64_t auditSeq,
                            const Json& after) {
  OrderReview review;
  review.reviewer = std::move(reviewer);
  review.role = std::move(role);
  review.atMs = atMs;
  review.auditSeq = auditSeq;
  if (!after.is_object()) {
    return review;
  }
  review.throughSeq = after.value("through_seq", std::int64_t{0});
  if (after.contains("signature")) {
    auto signature = parseOrderSignature(after["signature"]);
    if (signature) {
      review.signature = *signature;
    }
  }
  if (after.contains("shop_position") && after["shop_position"].is_number_integer()) {
    review.shopPosition = after["shop_position"].get<std::int64_t>();
  }
  return review;
}

// ---- writes ----------------------------------------------------------------------------

Result<Order> OrderStore::create(const NewOrder& order, const OrderActor& who) {
  if (order.customer.empty()) {
    return makeError(ErrorCode::InvalidArgument, "an order needs a customer");
  }
  for (const auto& [what, text] : {std::pair{"the customer's name", &order.customer},
                                   std::pair{"the material", &order.material},
                                   std::pair{"the file name", &order.fileName}}) {
    if (Status named = checkOrderName(what, *text); !named) {
      return named.error();
    }
  }
  if (order.priority < 0 || order.priority > 3) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("priority {} is out of range: use 0 (low) to 3 (urgent)", order.priority));
  }
  if (!order.details.is_object()) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("an order's details must be an object, not {}", order.details.dump()));
  }
  OrderActor actor = withCorrelation(who);
  Order created;
  std::string refusal;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    refusal.clear();
    if (isReadOnly(actor)) {
      return refuseReadOnly(db, actor, "create", order.number, refusal);
    }
    std::string number = order.number;
    if (number.empty()) {
      auto sequence = takeOrderSequence(db);
      if (!sequence) {
        return sequence.error();
      }
      number = domain::formatOrderNumber(*sequence);
    }
    auto existing = loadOrder(db, number);
    if (!existing) {
      return existing.error();
    }
    if (*existing) {
      return makeError(ErrorCode::Conflict, fmt::format("order \"{}\" exists already", number));
    }
    auto insert = db.prepare(
        "INSERT INTO orders (number, customer, status, priority, price_cents, material, file_name, created_at, "
        "updated_at, assigned_operator, version, details) VALUES (?, ?, 'INITIATED', ?, ?, ?, ?, ?, ?, ?, 1, ?)");
    if (!insert) {
      return insert.error();
    }
    std::int64_t now = db.nowMs();
    Statement& statement = **insert;
    statement.bind(1, number).bind(2, order.customer).bind(3, order.priority);
    if (order.priceCents) {
      statement.bind(4, *order.priceCents);
    } else {
      statement.bindNull(4);
    }
    statement.bind(5, order.material).bind(6, order.fileName).bind(7, now).bind(8, now).bindOptional(
        9, order.assignedOperator);
    statement.bind(10, order.details.dump());
    if (Status inserted = statement.run(); !inserted) {
      return inserted;
    }
    auto stored = loadOrder(db, number);
    if (!stored) {
      return stored.error();
    }
    created = **stored;
    if (Status appended = appendHistory(db, created.id, created.createdAtMs, created.status); !appended) {
      return appended;
    }
    if (Status audited = audit(db, actor, "order.created", number, nullptr, orderToJson(created), ""); !audited) {
      return audited;
    }
    return publish(db, created, 0, actor, "order.created");
  });
  if (!done) {
    return done.error();
  }
  if (!refusal.empty()) {
    return makeError(ErrorCode::PermissionDenied, refusal);
  }
  return created;
}

Result<Order> OrderStore::transition(const std::string& number, OrderStatus to, const OrderActor& who,
                                     std::optional<std::int64_t> expectedVersion) {
  return transition(number, to, who, TransitionRecord{}, expectedVersion);
}

Result<Order> OrderStore::transition(const std::string& number, OrderStatus to, const OrderActor& who,
                                     const TransitionRecord& record, std::optional<std::int64_t> expectedVersion) {
  Order scratch;
  if (Status valid = applyRecord(record.record, scratch); !valid) {
    return valid.error();
  }
  OrderActor actor = withCorrelation(who);
  Order result;
  std::string refusal;
  ErrorCode refusalCode = ErrorCode::Conflict;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    refusal.clear();
    if (isReadOnly(actor)) {
      refusalCode = ErrorCode::PermissionDenied;
      return refuseReadOnly(db, actor, fmt::format("move to {}", domain::toString(to)), number, refusal);
    }
    auto found = loadExisting(db, number);
    if (!found) {
      return found.error();
    }
    const Order current = *found;
    if (current.status == to) {
      // Already there. A run that moved it itself and runs again after a crash changes
      // nothing; another run finds the move made by someone else (its record would be
      // lost) and is refused.
      auto mover = lastMoveRun(db, current.number);
      if (!mover) {
        return mover.error();
      }
      if (actor.runId.empty() || *mover == actor.runId) {
        result = current;
        return {};
      }
      refusal = fmt::format("order {} is already {} (another run moved it)", current.number, domain::toString(to));
      result = current;
      return audit(db, actor, "order.transition_refused", current.number, stateJson(current),
                   Json{{"status", domain::toString(to)}}, refusal);
    }
    refusal = moveRefusal(current, to, expectedVersion);
    if (!refusal.empty()) {
      result = current;
      return audit(db, actor, "order.transition_refused", current.number, stateJson(current),
                   Json{{"status", domain::toString(to)}}, refusal);
    }
    Order changed = current;
    if (Status applied = applyRecord(record.record, changed); !applied) {
      return applied;
    }
    auto update = db.prepare(
        "UPDATE orders SET status = ?, updated_at = ?, price_cents = ?, material = ?, file_name = ?, "
        "assigned_operator = ?, details = ?, version = version + 1 WHERE id = ?");
    if (!update) {
      return update.error();
    }
    std::int64_t at = std::max(db.nowMs(), current.updatedAtMs);
    Statement& statement = **update;
    statement.bind(1, domain::toString(to)).bind(2, at);
    if (changed.priceCents) {
      statement.bind(3, *changed.priceCents);
    } else {
      statement.bindNull(3);
    }
    statement.bind(4, changed.material).bind(5, changed.fileName).bindOptional(6, changed.assignedOperator);
    statement.bind(7, changed.details.dump()).bind(8, current.id);
    if (Status updated = statement.run(); !updated) {
      return updated;
    }
    if (Status appended = appendHistory(db, current.id, at, to); !appended) {
      return appended;
    }
    Json extra = Json::object();
    if (!record.record.empty()) {
      extra["record"] = record.record;
    }
    if (record.signature) {
      auto recorded = recordedSignature(db, *record.signature);
      if (!recorded) {
        return recorded.error();
      }
      extra["signature"] = toJson(*recorded);
    }
    return recordChange(db, current, actor, "order.status_changed", record.reason, result, extra);
  });
  if (!done) {
    return done.error();
  }
  if (!refusal.empty()) {
    return makeError(refusalCode, refusal);
  }
  return result;
}

Result<Order> OrderStore::checkTransition(const std::string& number, OrderStatus to, const OrderActor& who) {
  OrderActor actor = withCorrelation(who);
  Order result;
  std::string refusal;
  ErrorCode refusalCode = ErrorCode::Conflict;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    refusal.clear();
    if (isReadOnly(actor)) {
      refusalCode = ErrorCode::PermissionDenied;
      return refuseReadOnly(db, actor, fmt::format("move to {}", domain::toString(to)), number, refusal);
    }
    auto found = loadExisting(db, number);
    if (!found) {
      return found.error();
    }
    result = *found;
    refusal = result.status == to ? fmt::format("order {} is already {}", result.number, domain::toString(to))
                                  : moveRefusal(result, to, std::nullopt);
    if (refusal.empty()) {
      return {};
    }
    return audit(db, actor, "order.transition_refused", result.number, stateJson(result),
                 Json{{"status", domain::toString(to)}}, refusal);
  });
  if (!done) {
    return done.error();
  }
  if (!refusal.empty()) {
    return makeError(refusalCode, refusal);
  }
  return result;
}

Result<Order> OrderStore::hold(const std::string& number, HoldReason reason, const OrderActor& who,
                               const std::string& note) {
  OrderActor actor = withCorrelation(who);
  Order result;
  std::string refusal;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    refusal.clear();
    if (isReadOnly(actor)) {
      return refuseReadOnly(db, actor, "hold", number, refusal);
    }
    auto found = loadExisting(db, number);
    if (!found) {
      return found.error();
    }
    const Order current = *found;
    if (current.hold) {
      return makeError(ErrorCode::Conflict, fmt::format("order {} is already on hold ({})", current.number,
                                                        domain::toString(*current.hold)));
    }
    if (domain::isFinal(current.status)) {
      return makeError(ErrorCode::Conflict, fmt::format("order {} is {}: a final order cannot be held",
                                                        current.number, domain::toString(current.status)));
    }
    auto update =
        db.prepare("UPDATE orders SET hold_reason = ?, updated_at = ?, version = version + 1 WHERE id = ?");
    if (!update) {
      return update.error();
    }
    (*update)->bind(1, domain::toString(reason)).bind(2, std::max(db.nowMs(), current.updatedAtMs)).bind(3, current.id);
    if (Status updated = (*update)->run(); !updated) {
      return updated;
    }
    return recordChange(db, current, actor, "order.held", note.empty() ? domain::toString(reason) : note, result);
  });
  if (!done) {
    return done.error();
  }
  if (!refusal.empty()) {
    return makeError(ErrorCode::PermissionDenied, refusal);
  }
  return result;
}

Result<Order> OrderStore::release(const std::string& number, const OrderActor& who, const std::string& note) {
  OrderActor actor = withCorrelation(who);
  Order result;
  std::string refusal;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    refusal.clear();
    if (isReadOnly(actor)) {
      return refuseReadOnly(db, actor, "release", number, refusal);
    }
    auto found = loadExisting(db, number);
    if (!found) {
      return found.error();
    }
    const Order current = *found;
    if (!current.hold) {
      return makeError(ErrorCode::Conflict, fmt::format("order {} is not on hold", current.number));
    }
    auto update =
        db.prepare("UPDATE orders SET hold_reason = NULL, updated_at = ?, version = version + 1 WHERE id = ?");
    if (!update) {
      return update.error();
    }
    (*update)->bind(1, std::max(db.nowMs(), current.updatedAtMs)).bind(2, current.id);
    if (Status updated = (*update)->run(); !updated) {
      return updated;
    }
    return recordChange(db, current, actor, "order.released", note, result);
  });
  if (!done) {
    return done.error();
  }
  if (!refusal.empty()) {
    return makeError(ErrorCode::PermissionDenied, refusal);
  }
  return result;
}

Result<OrderReview> OrderStore::recordReview(const std::string& number, const OrderActor& who,
                                             const std::optional<OrderSignature>& signature,
                                             std::optional<std::int64_t> throughSeq,
                                             std::optional<std::int64_t> shopPosition) {
  OrderActor actor = withCorrelation(who);
  OrderReview review;
  std::string refusal;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    refusal.clear();
    if (isReadOnly(actor)) {
      return refuseReadOnly(db, actor, "audit review", number, refusal);
    }
    auto found = loadExisting(db, number);
    if (!found) {
      return found.error();
    }
    const Order current = *found;
    if (current.status != OrderStatus::Shipped) {
      return makeError(ErrorCode::Conflict,
                       fmt::format("order {} is {}: its audit trail is reviewed once it is SHIPPED", current.number,
                                   domain::toString(current.status)));
    }
    auto last = lastAuditSeq(db, current.number);
    if (!last) {
      return last.error();
    }
    if (throughSeq && (*throughSeq < 1 || *throughSeq > *last)) {
      return makeError(ErrorCode::InvalidArgument,
                       fmt::format("order {} has audit entries up to {}: a review cannot reach entry {}",
                                   current.number, *last, *throughSeq));
    }
    review.reviewer = actor.user;
    review.role = actor.role;
    review.throughSeq = throughSeq.value_or(*last);
    review.shopPosition = shopPosition;
    Json after{{"reviewer", review.reviewer}, {"role", review.role}, {"through_seq", review.throughSeq}};
    if (shopPosition) {
      after["shop_position"] = *shopPosition;
    }
    if (signature) {
      auto recorded = recordedSignature(db, *signature);
      if (!recorded) {
        return recorded.error();
      }
      review.signature = *recorded;
      after["signature"] = toJson(*recorded);
    }
    if (!actor.runId.empty()) {
      after["run_id"] = actor.runId;
    }
    AuditEntry entry;
    entry.user = actor.user;
    entry.role = actor.role;
    entry.workstation = actor.workstation;
    entry.correlationId = actor.correlationId;
    entry.action = "order.audit_reviewed";
    entry.subjectType = "order";
    entry.subjectId = current.number;
    entry.orderNumber = current.number;
    entry.before = nullptr;
    entry.after = std::move(after);
    if (Status audited = appendAudit(db, entry); !audited) {
      return audited;
    }
    review.auditSeq = entry.seq;
    review.atMs = entry.atMs;
    Json details = current.details;
    details["reviewed_by"] = review.reviewer;
    details["reviewed_at"] = formatUtcMs(review.atMs);
    details["reviewed_through_seq"] = review.throughSeq;
    auto update = db.prepare("UPDATE orders SET details = ?, updated_at = ?, version = version + 1 WHERE id = ?");
    if (!update) {
      return update.error();
    }
    (*update)->bind(1, details.dump()).bind(2, std::max(review.atMs, current.updatedAtMs)).bind(3, current.id);
    if (Status updated = (*update)->run(); !updated) {
      return updated;
    }
    auto reloaded = loadExisting(db, current.number);
    if (!reloaded) {
      return reloaded.error();
    }
    return publish(db, *reloaded, current.version, actor, "order.audit_reviewed");
  });
  if (!done) {
    return done.error();
  }
  if (!refusal.empty()) {
    return makeError(ErrorCode::PermissionDenied, refusal);
  }
  return review;
}

// ---- reads -----------------------------------------------------------------------------

Result<std::optional<OrderReview>> OrderStore::findReview(const std::string& number) const {
  return readAboutOrder(m_store, number, [](Database& db, const Order& order) -> Result<std::optional<OrderReview>> {
    // Reviews count from the order's last move into SHIPPED (an order seeded there has no
    // such entry: every review of it counts).
    auto select = db.prepare(
        "SELECT user, role, at_ms, after, seq FROM audit WHERE order_number = ?1 AND action = 'order.audit_reviewed' "
        "AND seq > (SELECT coalesce(max(seq), 0) FROM audit WHERE order_number = ?1 "
        "AND action = 'order.status_changed' AND json_extract(after, '$.status') = 'SHIPPED') "
        "ORDER BY seq DESC LIMIT 1");
    if (!select) {
      return select.error();
    }
    (*select)->bind(1, order.number);
    auto row = (*select)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return std::optional<OrderReview>();
    }
    const Statement& found = **select;
    return std::optional<OrderReview>(
        reviewFromAudit(found.text(0), found.text(1), found.int64(2), found.int64(4),
                        Json::parse(found.textView(3), nullptr, false)));
  });
}

Result<Order> OrderStore::get(const std::string& number) const {
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  return loadExisting(**db, number);
}

Result<std::vector<OrderStatusEntry>> OrderStore::history(const std::string& number) const {
  return readAboutOrder(m_store, number, [](Database& db, const Order& order) -> Result<std::vector<OrderStatusEntry>> {
    // An order enters each status at most once (moves only go forward), so the audit entry
    // that moved it into a status is the order's last created/status_changed entry naming it.
    auto select = db.prepare(
        "SELECT h.at, s.name, coalesce(a.user, ''), coalesce(a.role, ''), "
        "coalesce(json_extract(a.after, '$.run_id'), '') FROM order_history AS h "
        "JOIN order_statuses AS s ON s.position = h.status "
        "LEFT JOIN audit AS a ON a.seq = (SELECT max(seq) FROM audit WHERE order_number = ?2 "
        "AND action IN ('order.created', 'order.status_changed') AND json_extract(after, '$.status') = s.name) "
        "WHERE h.order_id = ?1 ORDER BY h.at, h.status");
    if (!select) {
      return select.error();
    }
    Statement& rows = **select;
    rows.bind(1, order.id).bind(2, order.number);
    std::vector<OrderStatusEntry> entries;
    while (true) {
      auto row = rows.step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return entries;
      }
      entries.push_back({statusFromText(rows.textView(1)), rows.int64(0), rows.text(2), rows.text(3), rows.text(4)});
    }
  });
}

Result<OrderPage> OrderStore::list(const OrderQuery& query) const {
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  return detail::readOrderPage(**db, query);
}

Result<OrderCounts> OrderStore::count(const std::vector<OrderStatus>& statuses) const {
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto select = (*db)->prepare("SELECT status, count, held FROM order_status_counts");
  if (!select) {
    return select.error();
  }
  OrderCounts counts;
  for (OrderStatus status : statuses) {
    counts.byStatus[status] = 0;
  }
  while (true) {
    auto row = (*select)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      break;
    }
    auto status = domain::parseOrderStatus((*select)->textView(0));
    if (!status) {
      return makeError(ErrorCode::Internal, status.error().message);
    }
    if (!statuses.empty() && std::find(statuses.begin(), statuses.end(), *status) == statuses.end()) {
      continue;
    }
    counts.byStatus[*status] = (*select)->int64(1);
    counts.total += (*select)->int64(1);
    counts.held += (*select)->int64(2);
  }
  return counts;
}

} // namespace opflow::store
