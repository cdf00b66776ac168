#include "opflow/store/SharedOrders.h"

#include "opflow/store/AuditLog.h"

#include <fmt/format.h>

#include <algorithm>

namespace opflow::store {

namespace {

Error badField(const char* field, const std::string& why) {
  return makeError(ErrorCode::InvalidArgument, fmt::format("the order's \"{}\" {}", field, why));
}

// The text at `key` ("" for null when `nullable`); nothing when it is missing or another type.
std::optional<std::string> textAt(const Json& json, const char* key, bool nullable) {
  auto found = json.find(key);
  if (found != json.end() && found->is_string()) {
    return found->get<std::string>();
  }
  if (nullable && found != json.end() && found->is_null()) {
    return std::string();
  }
  return std::nullopt;
}

std::optional<std::int64_t> integerAt(const Json& json, const char* key) {
  auto found = json.find(key);
  if (found == json.end() || !found->is_number_integer()) {
    return std::nullopt;
  }
  return found->get<std::int64_t>();
}

// What the local row is: its status, and whether it is the shared state already (or a
// later one, when only a later one is taken).
struct LocalRow {
  std::string status;
  bool same = false;
};

} // namespace

Json orderToJson(const Order& order) {
  return Json{{"number", order.number},
              {"customer", order.customer},
              {"status", domain::toString(order.status)},
              {"priority", order.priority},
              {"price_cents", order.priceCents ? Json(*order.priceCents) : Json(nullptr)},
              {"material", order.material},
              {"file_name", order.fileName},
              {"created_at", order.createdAtMs},
              {"updated_at", order.updatedAtMs},
              {"assigned_operator", order.assignedOperator.empty() ? Json(nullptr) : Json(order.assignedOperator)},
              {"hold_reason", order.hold ? Json(domain::toString(*order.hold)) : Json(nullptr)},
              {"version", order.version},
              {"details", order.details}};
}

Result<Order> orderFromJson(const Json& json) {
  if (!json.is_object()) {
    return makeError(ErrorCode::InvalidArgument, "an order must be a JSON object");
  }
  Order order;
  auto number = textAt(json, "number", false);
  if (!number || number->empty()) {
    return badField("number", "is missing");
  }
  order.number = *number;
  for (auto [key, target] : {std::pair<const char*, std::string*>{"customer", &order.customer},
                             std::pair<const char*, std::string*>{"material", &order.material},
                             std::pair<const char*, std::string*>{"file_name", &order.fileName}}) {
    auto text = textAt(json, key, false);
    if (!text) {
      return badField(key, "must be text");
    }
    *target = std::move(*text);
  }
  auto status = textAt(json, "status", false);
  if (!status) {
    return badField("status", "must be text");
  }
  auto parsedStatus = domain::parseOrderStatus(*status);
  if (!parsedStatus) {
    return badField("status", parsedStatus.error().message);
  }
  order.status = *parsedStatus;
  auto priority = integerAt(json, "priority");
  if (!priority || *priority < 0 || *priority > 3) {
    return badField("priority", "must be 0 to 3");
  }
  order.priority = static_cast<int>(*priority);
  if (auto price = json.find("price_cents"); price != json.end() && !price->is_null()) {
    auto cents = integerAt(json, "price_cents");
    if (!cents || *cents < 0) {
      return badField("price_cents", "must be whole cents of at least 0, or null");
    }
    order.priceCents = *cents;
  }
  auto created = integerAt(json, "created_at");
  auto updated = integerAt(json, "updated_at");
  if (!created || !updated) {
    return badField(created ? "updated_at" : "created_at", "must be a time in milliseconds");
  }
  order.createdAtMs = *created;
  order.updatedAtMs = *updated;
  auto assigned = textAt(json, "assigned_operator", true);
  if (!assigned) {
    return badField("assigned_operator", "must be text or null");
  }
  order.assignedOperator = *assigned;
  auto hold = textAt(json, "hold_reason", true);
  if (!hold) {
    return badField("hold_reason", "must be text or null");
  }
  if (!hold->empty()) {
    auto reason = domain::parseHoldReason(*hold);
    if (!reason) {
      return badField("hold_reason", reason.error().message);
    }
    order.hold = *reason;
  }
  auto version = integerAt(json, "version");
  if (!version || *version < 1) {
    return badField("version", "must be a whole number of at least 1");
  }
  order.version = *version;
  auto details = json.find("details");
  if (details == json.end() || !details->is_object()) {
    return badField("details", "must be an object");
  }
  order.details = *details;
  return order;
}

AuditEntry takenStateEntry(const OrderActor& sync, const SharedOrderOrigin& origin, std::string subjectType,
                           std::string subjectId) {
  AuditEntry entry;
  entry.user = sync.user;
  entry.role = sync.role;
  entry.workstation = sync.workstation;
  entry.correlationId = sync.correlationId;
  entry.action = origin.action;
  entry.subjectType = std::move(subjectType);
  entry.subjectId = std::move(subjectId);
  entry.reason = origin.reason;
  return entry;
}

Result<bool> takeSharedOrder(Database& db, const Order& shared, const SharedOrderOrigin& origin,
                             const OrderActor& sync, SharedTake which) {
  auto local = selectOne(
      db, "SELECT status, version, hold_reason, updated_at FROM orders WHERE number = ?",
      [&shared, which](const Statement& row) {
        const bool same = (row.int64(1) == shared.version && row.int64(3) == shared.updatedAtMs &&
                           row.textView(0) == domain::toString(shared.status)) ||
                          (which == SharedTake::Later && row.int64(1) > shared.version);
        return std::pair<LocalRow, Json>(
            LocalRow{row.text(0), same},
            Json{{"status", row.text(0)},
                 {"version", row.int64(1)},
                 {"hold_reason", row.isNull(2) ? Json(nullptr) : Json(row.text(2))}});
      },
      shared.number);
  if (!local) {
    return local.error();
  }
  if (*local && (*local)->first.same) {
    return false;
  }
  auto take = db.prepare(
      "INSERT OR IGNORE INTO sync_order_takes (number, version, event_id, taken_at) VALUES (?, ?, ?, ?)");
  if (!take) {
    return take.error();
  }
  (*take)->bind(1, shared.number).bind(2, shared.version).bind(3, origin.eventId).bind(4, db.nowMs());
  if (Status recorded = (*take)->run(); !recorded) {
    return recorded.error();
  }
  const std::string hold = shared.hold ? std::string(domain::toString(*shared.hold)) : std::string();
  const std::string details = shared.details.dump(-1, ' ', false, Json::error_handler_t::replace);
  auto write = db.prepare(
      "INSERT INTO orders (number, customer, status, priority, price_cents, material, file_name, created_at, "
      "updated_at, assigned_operator, hold_reason, version, details, sync_event_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (number) DO UPDATE SET customer = excluded.customer, status = excluded.status, "
      "priority = excluded.priority, price_cents = excluded.price_cents, material = excluded.material, "
      "file_name = excluded.file_name, created_at = excluded.created_at, updated_at = excluded.updated_at, "
      "assigned_operator = excluded.assigned_operator, hold_reason = excluded.hold_reason, "
      "version = excluded.version, details = excluded.details, sync_event_id = excluded.sync_event_id");
  if (!write) {
    return write.error();
  }
  Statement& statement = **write;
  statement.bind(1, shared.number).bind(2, shared.customer).bind(3, domain::toString(shared.status));
  statement.bind(4, shared.priority);
  if (shared.priceCents) {
    statement.bind(5, *shared.priceCents);
  } else {
    statement.bindNull(5);
  }
  statement.bind(6, shared.material).bind(7, shared.fileName).bind(8, shared.createdAtMs).bind(9, shared.updatedAtMs);
  statement.bindOptional(10, shared.assignedOperator).bindOptional(11, hold).bind(12, shared.version);
  statement.bind(13, details).bind(14, origin.eventId);
  if (Status written = statement.run(); !written) {
    return written.error();
  }
  // The triggers let this one write through, no later one.
  auto taken = db.prepare("DELETE FROM sync_order_takes WHERE number = ? AND version = ? AND event_id = ?");
  if (!taken) {
    return taken.error();
  }
  (*taken)->bind(1, shared.number).bind(2, shared.version).bind(3, origin.eventId);
  if (Status cleared = (*taken)->run(); !cleared) {
    return cleared.error();
  }
  const bool statusChanged = !*local || (*local)->first.status != domain::toString(shared.status);
  if (statusChanged) {
    // When this workstation took it, and never before what its history holds (whatever
    // the clocks of the workstations say): the timeline stays in order, its last entry
    // the status the order has.
    auto history = db.prepare(
        "INSERT INTO order_history (order_id, at, status) SELECT o.id, max(?, coalesce((SELECT max(h.at) + 1 FROM "
        "order_history AS h WHERE h.order_id = o.id), 0)), ? FROM orders AS o WHERE o.number = ?");
    if (!history) {
      return history.error();
    }
    (*history)->bind(1, std::max(db.nowMs(), shared.updatedAtMs)).bind(2, domain::positionOf(shared.status));
    (*history)->bind(3, shared.number);
    if (Status appended = (*history)->run(); !appended) {
      return appended.error();
    }
  }
  AuditEntry entry = takenStateEntry(sync, origin, "order", shared.number);
  entry.orderNumber = shared.number;
  entry.before = *local ? (*local)->second : Json(nullptr);
  entry.after = Json{{"status", domain::toString(shared.status)},
                     {"version", shared.version},
                     {"hold_reason", shared.hold ? Json(domain::toString(*shared.hold)) : Json(nullptr)},
                     {"record", {{"price_cents", shared.priceCents ? Json(*shared.priceCents) : Json(nullptr)}}},
                     {"from", {{"workstation", origin.workstation}, {"user", origin.user}, {"event_id", origin.eventId}}}};
  if (Status audited = appendAudit(db, entry); !audited) {
    return audited.error();
  }
  return true;
}

} // namespace opflow::store
