#include "opflow/sync/SharedEvent.h"

namespace opflow::sync {

const char* toString(EventOutcome outcome) {
  switch (outcome) {
  case EventOutcome::Applied:
    return "applied";
  case EventOutcome::Conflict:
    return "conflict";
  case EventOutcome::Refused:
    return "refused";
  }
  return "refused";
}

std::optional<EventOutcome> parseEventOutcome(std::string_view text) {
  for (EventOutcome outcome : {EventOutcome::Applied, EventOutcome::Conflict, EventOutcome::Refused}) {
    if (text == toString(outcome)) {
      return outcome;
    }
  }
  return std::nullopt;
}

store::AuditEntry auditEntryFromPayload(const Json& payload) {
  const auto text = [&payload](const char* key) {
    const auto found = payload.find(key);
    return found != payload.end() && found->is_string() ? found->get<std::string>() : std::string();
  };
  const auto json = [&payload](const char* key) {
    const auto found = payload.find(key);
    if (found == payload.end() || !found->is_string()) {
      return Json();
    }
    Json parsed = Json::parse(found->get<std::string>(), nullptr, false);
    return parsed.is_discarded() ? Json(found->get<std::string>()) : parsed;
  };
  store::AuditEntry entry;
  if (!payload.is_object()) {
    return entry;
  }
  entry.seq = payload.value("seq", std::int64_t{0});
  entry.atMs = payload.value("at_ms", std::int64_t{0});
  entry.id = text("id");
  entry.user = text("user");
  entry.role = text("role");
  entry.workstation = text("workstation");
  entry.correlationId = text("correlation_id");
  entry.action = text("action");
  entry.subjectType = text("subject_type");
  entry.subjectId = text("subject_id");
  entry.orderNumber = text("order_number");
  entry.before = json("before");
  entry.after = json("after");
  entry.reason = text("reason");
  entry.prevHash = text("prev_hash");
  entry.hash = text("hash");
  return entry;
}

std::optional<ShopRunStep> runStepFromPayload(const Json& payload) {
  const store::AuditEntry entry = auditEntryFromPayload(payload);
  if (entry.action != "run.step" || !entry.before.is_object() || !entry.after.is_object()) {
    return std::nullopt;
  }
  const Json& node = entry.before.value("node", Json());
  const Json& duration = entry.after.value("duration_us", Json());
  if (!node.is_string() || !duration.is_number_integer()) {
    return std::nullopt;
  }
  return ShopRunStep{entry.subjectId, node.get<std::string>(), duration.get<std::int64_t>(), entry.reason,
                     entry.after.value("exit", std::string())};
}

} // namespace opflow::sync
