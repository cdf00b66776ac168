#include "PushRules.h"

#include "store/AuditChain.h"

#include "opflow/domain/OrderNumber.h"
#include "opflow/domain/OrderStatus.h"
#include "opflow/domain/Role.h"
#include "opflow/engine/CompiledOperation.h"
#include "opflow/model/DefinitionJson.h"
#include "opflow/store/DefinitionStore.h"
#include "opflow/store/Migrations.h"
#include "opflow/store/SharedOrders.h"
#include "opflow/store/SharedUsers.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>

namespace opflow::sync::detail {

namespace {

// A JSON value's compact text, or nothing when the key is absent or not text/null.
std::optional<std::string_view> textField(const Json& payload, const char* key) {
  auto found = payload.find(key);
  if (found == payload.end() || !found->is_string()) {
    return std::nullopt;
  }
  return std::string_view(found->get_ref<const std::string&>());
}

// The text at `key` of a JSON value from a workstation; "" when it is not text there.
std::string textOr(const Json& object, const char* key) {
  return std::string(object.is_object() ? textField(object, key).value_or("") : "");
}

std::int64_t integerField(const Json& payload, const char* key) {
  auto found = payload.find(key);
  return found != payload.end() && found->is_number_integer() ? found->get<std::int64_t>() : -1;
}

} // namespace

std::optional<Error> schemaMismatch(const std::string& shown, int found, int latest, std::string_view whenNone) {
  constexpr std::string_view kWhat = "shared database";
  if (found > latest) {
    return store::newerSchemaError(shown, kWhat, found, latest);
  }
  if (found < latest) {
    return makeError(ErrorCode::Conflict, fmt::format("{} holds a {} of schema version {}, older than this build's {}{}",
                                                      shown, kWhat, found, latest,
                                                      found == 0 ? fmt::format(" ({})", whenNone)
                                                                 : std::string(": `shared init` migrates it")));
  }
  return std::nullopt;
}

std::string eventDigest(const std::string& workstation, const SharedEvent& event) {
  const std::string content = Json::array({workstation, event.seq, event.id, event.kind, event.payloadVersion,
                                           event.subjectId,
                                           event.baseVersion ? Json(*event.baseVersion) : Json(nullptr),
                                           event.payload})
                                  .dump(-1, ' ', false, Json::error_handler_t::replace);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(content.data()), content.size());
  std::string hex(digest.size() * 2, '0');
  sodium_bin2hex(hex.data(), hex.size() + 1, digest.data(), digest.size());
  return hex;
}

std::optional<std::string> payloadFault(const SharedEvent& event) {
  if (event.payloadVersion < 1 || event.payloadVersion > kPayloadVersion) {
    return fmt::format("payload version {} of \"{}\" is not one this build reads (1 to {})", event.payloadVersion,
                       event.kind, kPayloadVersion);
  }
  if (event.kind == "order.changed") {
    if (!event.baseVersion || !event.payload.is_object() || !event.payload.contains("order") ||
        !event.payload.contains("change") || !event.payload.at("change").is_object()) {
      return std::string("an order change needs its base version, the order and who changed it");
    }
    auto order = store::orderFromJson(event.payload.at("order"));
    if (!order) {
      return order.error().message;
    }
    if (order->number != event.subjectId || order->version != *event.baseVersion + 1) {
      return fmt::format("an order change of {} on version {} must leave order {} at version {}", event.subjectId,
                         *event.baseVersion, event.subjectId, *event.baseVersion + 1);
    }
    return std::nullopt;
  }
  if (event.kind == "audit.entry") {
    for (const char* key : {"id", "user", "role", "workstation", "correlation_id", "action", "subject_type",
                            "subject_id", "reason", "prev_hash", "hash"}) {
      if (!event.payload.is_object() || !textField(event.payload, key)) {
        return fmt::format("an audit entry needs its \"{}\"", key);
      }
    }
    if (integerField(event.payload, "seq") < 1 || integerField(event.payload, "at_ms") < 0) {
      return std::string("an audit entry needs its seq and at_ms");
    }
    return std::nullopt;
  }
  if (event.kind == "user.changed") {
    if (!event.payload.is_object() || !event.payload.contains("change") || !event.payload.at("change").is_object() ||
        !textField(event.payload.at("change"), "action")) {
      return std::string("a user change needs the user and who changed them");
    }
    auto user = store::sharedUserFromJson(event.payload.value("user", Json()));
    if (!user) {
      return user.error().message;
    }
    return user->name == event.subjectId ? std::nullopt
                                         : std::optional<std::string>("a user change must name the user it carries");
  }
  if (event.kind == "setting.changed") {
    const auto key = event.payload.is_object() ? textField(event.payload, "key") : std::nullopt;
    if (!key || !event.payload.contains("value") || *key != event.subjectId) {
      return std::string("a setting change needs its key and value");
    }
    return store::isSharedSetting(*key) ? std::nullopt
                                        : std::optional<std::string>(fmt::format("\"{}\" is not a setting of the shop",
                                                                                 *key));
  }
  if (event.kind == "definition.loaded") {
    const auto hash = event.payload.is_object() ? textField(event.payload, "content_hash") : std::nullopt;
    if (!hash || !event.payload.contains("definition") || !event.payload.contains("change") ||
        !event.payload.at("change").is_object()) {
      return std::string("a loaded definition needs the definition, its content hash and who loaded it");
    }
    auto definition = model::definitionFromText(event.payload.at("definition").dump());
    if (!definition) {
      return fmt::format("the definition does not read: {}", definition.error().describe());
    }
    if (store::definitionSubject(definition->name, definition->version) != event.subjectId) {
      return fmt::format("a loaded definition must be the one it names ({}), not \"{}\" v{}", event.subjectId,
                         definition->name, definition->version);
    }
    return engine::contentHashOf(*definition) == *hash
               ? std::nullopt
               : std::optional<std::string>("the definition's content hash is not the hash of its content");
  }
  if (event.kind == "run.summary") {
    return event.payload.is_object() ? std::nullopt
                                     : std::optional<std::string>("a run summary needs its payload object");
  }
  return fmt::format("\"{}\" is not a kind of event this build knows", event.kind);
}

std::optional<std::string> chainBreak(const SharedEvent& event, const ChainEnd& end) {
  const Json& entry = event.payload;
  const std::int64_t seq = integerField(entry, "seq");
  if (seq != end.seq + 1) {
    return fmt::format("audit entry {} does not follow entry {}, where the chain ends in the shared database", seq,
                       end.seq);
  }
  const std::string_view prevHash = *textField(entry, "prev_hash");
  if (prevHash != end.hash) {
    return fmt::format("audit entry {} links to a hash that is not the one entry {} ended with", seq, end.seq);
  }
  // before/after travel as the compact text the chain hashed.
  const auto orNull = [&entry](const char* key) { return textField(entry, key).value_or(std::string_view()); };
  store::detail::CanonicalFields fields;
  fields.seq = seq;
  fields.id = *textField(entry, "id");
  fields.atMs = integerField(entry, "at_ms");
  fields.user = *textField(entry, "user");
  fields.role = *textField(entry, "role");
  fields.workstation = *textField(entry, "workstation");
  fields.correlationId = *textField(entry, "correlation_id");
  fields.action = *textField(entry, "action");
  fields.subjectType = *textField(entry, "subject_type");
  fields.subjectId = *textField(entry, "subject_id");
  fields.orderNumber = orNull("order_number");
  fields.beforeJson = orNull("before");
  fields.afterJson = orNull("after");
  fields.reason = *textField(entry, "reason");
  std::string canonical;
  store::detail::appendCanonical(canonical, fields);
  if (!store::detail::chainHashEquals(prevHash, canonical, *textField(entry, "hash"))) {
    return fmt::format("audit entry {} does not hash to the hash it carries: it was changed after it was written", seq);
  }
  return std::nullopt;
}

std::optional<std::string> orderConflict(const SharedEvent& event, const std::optional<SharedOrderState>& shared) {
  if (!shared) {
    return std::nullopt;
  }
  if (shared->version != *event.baseVersion) {
    return fmt::format("order {} is at version {} in the shared database; this change was made on version {}",
                       event.subjectId, shared->version, *event.baseVersion);
  }
  const Json base = event.payload.at("change").value("base_event", Json());
  if (base.is_string() && base.get<std::string>() != shared->eventId) {
    return fmt::format("order {} is at version {} in the shared database by another change than the one this change "
                       "was made on",
                       event.subjectId, shared->version);
  }
  return std::nullopt;
}

std::optional<std::string> statusModelBreak(const SharedEvent& event, const SharedOrderState& shared) {
  const Json& order = event.payload.at("order");
  const std::string to = order.value("status", "");
  if (to == shared.status) {
    return std::nullopt;
  }
  auto from = domain::parseOrderStatus(shared.status);
  auto next = domain::parseOrderStatus(to);
  if (!from || !next || !domain::isAllowedTransition(*from, *next)) {
    return fmt::format("the change moves order {} from {} to {}, which the status model does not allow",
                       event.subjectId, shared.status, to);
  }
  if (shared.held && !order.value("hold_reason", Json()).is_null()) {
    return fmt::format("the change moves order {} from {} to {} while it is on hold", event.subjectId, shared.status,
                       to);
  }
  return std::nullopt;
}

std::string sharedNameKey(std::string name) {
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return name;
}

Error numbersHeldElsewhere(const std::string& workstation, const NumberBlock& block, const std::string& holder,
                           const NumberBlock& held) {
  return makeError(ErrorCode::Conflict,
                   fmt::format("workstation \"{}\" has orders {} to {}, but workstation \"{}\" of the shared database "
                               "holds order numbers {} to {}: two orders would share a number",
                               workstation, domain::formatOrderNumber(block.first), domain::formatOrderNumber(block.last),
                               holder, domain::formatOrderNumber(held.first), domain::formatOrderNumber(held.last)));
}

namespace {

// The state of the batch so far, over what the backend held before it.
class BatchView {
public:
  BatchView(const PushLookups& lookups, PushPlan& plan) : m_lookups(lookups), m_plan(plan) {}

  Result<std::optional<StoredEvent>> storedEvent(const std::string& id) const {
    if (auto taken = m_newIds.find(id); taken != m_newIds.end()) {
      const PlannedEvent& planned = m_plan.inserts[taken->second];
      return std::optional<StoredEvent>(StoredEvent{planned.event->workstation, planned.event->seq, planned.digest,
                                                    planned.ack.outcome, planned.ack.reason});
    }
    return m_lookups.storedEvent(id);
  }

  Result<std::optional<SharedOrderState>> orderState(const std::string& number) const {
    if (auto applied = m_orders.find(number); applied != m_orders.end()) {
      const PlannedOrder& order = m_plan.orders[applied->second];
      const Json& record = order.event->payload.at("order");
      return std::optional<SharedOrderState>(SharedOrderState{order.version, order.event->id,
                                                              record.value("status", ""),
                                                              !record.value("hold_reason", Json()).is_null()});
    }
    return m_lookups.orderState(number);
  }

  Result<std::optional<ShopUser>> user(const std::string& name) const {
    if (auto applied = m_users.find(sharedNameKey(name)); applied != m_users.end()) {
      return std::optional<ShopUser>(applied->second.state);
    }
    return m_lookups.user(name);
  }

  void applyUser(const SharedEvent& event, const std::optional<ShopUser>& known) {
    const ShopUser state{known ? known->workstation : event.workstation, event.payload.at("user")};
    auto [at, fresh] = m_users.emplace(sharedNameKey(event.subjectId), AppliedUser{state, m_plan.users.size()});
    if (fresh) {
      m_plan.users.push_back({&event});
    } else {
      at->second.state = state;
      m_plan.users[at->second.index] = {&event};
    }
  }

  Result<std::optional<ShopDefinition>> definition(const std::string& subject) const {
    if (auto applied = m_definitions.find(subject); applied != m_definitions.end()) {
      return std::optional<ShopDefinition>(applied->second);
    }
    return m_lookups.definition(subject);
  }

  void applyDefinition(const SharedEvent& event) {
    m_definitions.emplace(event.subjectId,
                          ShopDefinition{event.workstation, event.payload.at("content_hash").get<std::string>()});
    m_plan.definitions.push_back(&event);
  }

  void insert(PlannedEvent planned) {
    m_newIds.emplace(planned.event->id, m_plan.inserts.size());
    m_plan.inserts.push_back(std::move(planned));
  }

  // A batch is one workstation's, as are the signatures its audit entries give.
  Result<std::optional<ShopSignature>> signature(const std::string& workstation, const std::string& id) const {
    if (auto given = m_signatures.find(id); given != m_signatures.end()) {
      return std::optional<ShopSignature>(m_plan.signatures[given->second].signature);
    }
    return m_lookups.signature(workstation, id);
  }

  void applySignature(std::string id, ShopSignature signature) {
    m_signatures.emplace(id, m_plan.signatures.size());
    m_plan.signatures.push_back({std::move(id), std::move(signature)});
  }

  void applyOrder(const SharedEvent& event) {
    const PlannedOrder order{&event, *event.baseVersion + 1};
    auto [at, fresh] = m_orders.emplace(event.subjectId, m_plan.orders.size());
    if (fresh) {
      m_plan.orders.push_back(order);
    } else {
      m_plan.orders[at->second] = order;
    }
  }

private:
  const PushLookups& m_lookups;
  PushPlan& m_plan;
  std::map<std::string, std::size_t> m_newIds;
  std::map<std::string, std::size_t> m_orders;
  struct AppliedUser {
    ShopUser state;
    std::size_t index = 0; // in m_plan.users
  };
  std::map<std::string, AppliedUser> m_users; // as applied so far in the batch
  std::map<std::string, ShopDefinition> m_definitions;
  std::map<std::string, std::size_t> m_signatures; // in m_plan.signatures
};

// What an event changes, in words ("order 2026-000017", "definition ship v3").
std::string changeOf(const SharedEvent& event) {
  return fmt::format("{} {}", event.kind == "order.changed" ? "order" : "definition", event.subjectId);
}

// Why the shop does not take an order change or a definition from who it says made it: a
// user the shop does not know, a role the shop does not give them, or a role that may not
// make it.
Result<std::optional<std::string>> actorFault(const BatchView& view, const SharedEvent& event) {
  const Json& change = event.payload.at("change");
  const std::string name = textOr(change, "user");
  const std::string role = textOr(change, "role");
  auto user = view.user(name);
  if (!user) {
    return user.error();
  }
  if (!*user) {
    return std::optional<std::string>(
        fmt::format("the change of {} names \"{}\", whom the shop does not know", changeOf(event), name));
  }
  const std::string shopRole = (*user)->record.value("role", "");
  if (shopRole != role) {
    return std::optional<std::string>(fmt::format("the change of {} says {} is {}, but the shop knows them as {}",
                                                  changeOf(event), name, role.empty() ? "nobody" : role, shopRole));
  }
  const bool definition = event.kind == "definition.loaded";
  if (definition ? shopRole != "admin" : shopRole == "manager") {
    return std::optional<std::string>(fmt::format("{} may not make the change of {}: {}", name, changeOf(event),
                                                  definition ? "only an admin loads definitions"
                                                             : "a manager reads orders and changes none"));
  }
  return std::optional<std::string>();
}

// Why the shop does not take the signature an order change records: one it never saw
// given at that workstation (signatures are each workstation's: another's id means
// nothing here), another than the one it saw, or a signer it does not let sign.
Result<std::optional<std::string>> signatureFault(const BatchView& view, const SharedEvent& event) {
  const Json claimed = event.payload.at("change").value("signature", Json());
  if (claimed.is_null()) {
    return std::optional<std::string>();
  }
  const std::string id = textOr(claimed, "id");
  auto seen = view.signature(event.workstation, id);
  if (!seen) {
    return seen.error();
  }
  if (!*seen) {
    return std::optional<std::string>(fmt::format("the change of order {} records signature \"{}\", which the shop "
                                                  "never saw given",
                                                  event.subjectId, id));
  }
  const ShopSignature& given = **seen;
  if (given.signer != textOr(claimed, "signer") ||
      given.role != textOr(claimed, "role") || given.meaning != textOr(claimed, "meaning")) {
    return std::optional<std::string>(fmt::format("the change of order {} records signature {} as another than the "
                                                  "shop saw given ({}'s, {}, \"{}\", at workstation \"{}\")",
                                                  event.subjectId, id, given.signer, given.role, given.meaning,
                                                  given.workstation));
  }
  auto signer = view.user(given.signer);
  if (!signer) {
    return signer.error();
  }
  const auto maySign = [&signer] {
    auto role = domain::parseRole((*signer)->record.value("role", ""));
    return role && domain::allows(*role, domain::Permission::Sign);
  };
  if (!*signer || !maySign()) {
    return std::optional<std::string>(fmt::format("the change of order {} records {}'s signature, but the shop does "
                                                  "not let {} sign",
                                                  event.subjectId, given.signer, given.signer));
  }
  return std::optional<std::string>();
}

// The signature a "signature.given" audit entry shows; nothing for other entries.
std::optional<PlannedSignature> signatureGiven(const SharedEvent& event) {
  if (textOr(event.payload, "action") != "signature.given") {
    return std::nullopt;
  }
  const Json after = Json::parse(textOr(event.payload, "after"), nullptr, false);
  if (textOr(after, "id").empty()) {
    return std::nullopt;
  }
  return PlannedSignature{textOr(after, "id"),
                          {event.workstation, textOr(after, "signer"), textOr(after, "role"), textOr(after, "meaning")}};
}

// Decides a new event that continues its workstation's sequence.
Result<EventAck> decide(BatchView& view, const SharedEvent& event, Head& head) {
  EventAck ack{event.id, event.seq, EventOutcome::Applied, "", false};
  if (auto fault = payloadFault(event)) {
    ack.outcome = EventOutcome::Refused;
    ack.reason = *fault;
  } else if (event.kind == "order.changed") {
    auto forged = actorFault(view, event);
    if (!forged) {
      return forged.error();
    }
    auto state = view.orderState(event.subjectId);
    if (!state) {
      return state.error();
    }
    auto badSignature = signatureFault(view, event);
    if (!badSignature) {
      return badSignature.error();
    }
    std::optional<std::string> broken = *state ? statusModelBreak(event, **state) : std::nullopt;
    if (*forged || *badSignature) {
      ack.outcome = EventOutcome::Refused;
      ack.reason = *forged ? **forged : **badSignature;
    } else if (auto conflict = orderConflict(event, *state)) {
      ack.outcome = EventOutcome::Conflict;
      ack.reason = *conflict;
    } else if (broken) {
      ack.outcome = EventOutcome::Refused;
      ack.reason = *broken;
    } else {
      view.applyOrder(event);
    }
  } else if (event.kind == "user.changed") {
    auto known = view.user(event.subjectId);
    if (!known) {
      return known.error();
    }
    if (*known && event.payload.at("change").value("action", "") == "user.added") {
      ack.outcome = EventOutcome::Conflict;
      ack.reason = fmt::format("user \"{}\" is in the shop already (added at workstation \"{}\"): the shop's stays",
                               event.subjectId, (*known)->workstation);
    } else {
      view.applyUser(event, *known);
    }
  } else if (event.kind == "definition.loaded") {
    auto forged = actorFault(view, event);
    if (!forged) {
      return forged.error();
    }
    auto held = view.definition(event.subjectId);
    if (!held) {
      return held.error();
    }
    if (*forged) {
      ack.outcome = EventOutcome::Refused;
      ack.reason = **forged;
    } else if (*held && (*held)->contentHash != event.payload.at("content_hash").get<std::string>()) {
      ack.outcome = EventOutcome::Conflict;
      ack.reason = fmt::format("definition {} is in the shop already with other content (loaded at workstation "
                               "\"{}\"): the shop's stays; a changed definition needs a higher version",
                               event.subjectId, (*held)->workstation);
    } else if (!*held) {
      view.applyDefinition(event);
    }
  } else if (event.kind == "audit.entry") {
    if (auto broken = chainBreak(event, head.audit)) {
      ack.outcome = EventOutcome::Refused;
      ack.reason = *broken;
    } else {
      head.audit = {head.audit.seq + 1, event.payload.at("hash").get<std::string>()};
      if (auto given = signatureGiven(event)) {
        view.applySignature(std::move(given->id), std::move(given->signature));
      }
    }
  }
  return ack;
}

} // namespace

Result<PushPlan> planPush(const std::string& workstation, const std::vector<SharedEvent>& events, Head head,
                          const PushLookups& lookups) {
  PushPlan plan;
  BatchView view(lookups, plan);
  for (const SharedEvent& event : events) {
    std::string digest = eventDigest(workstation, event);
    auto stored = view.storedEvent(event.id);
    if (!stored) {
      return stored.error();
    }
    if (*stored) {
      // Sent before (its acknowledgement lost): the stored outcome, unless the content
      // differs, which no honest resend does.
      const bool same = (*stored)->digest == digest && (*stored)->workstation == workstation;
      plan.acks.push_back(same ? EventAck{event.id, event.seq, (*stored)->outcome, (*stored)->reason, true}
                               : EventAck{event.id, event.seq, EventOutcome::Refused,
                                          fmt::format("event {} is already in the shared database with other "
                                                      "content (from {}, sequence {})",
                                                      event.id, (*stored)->workstation, (*stored)->seq),
                                          true});
      continue;
    }
    if (event.seq != head.lastSeq + 1) {
      break; // a gap (or a sequence number another id took): the workstation sends again from the expected one
    }
    auto ack = decide(view, event, head);
    if (!ack) {
      return ack.error();
    }
    head.lastSeq = event.seq;
    plan.acks.push_back(*ack);
    view.insert({&event, std::move(digest), std::move(*ack)});
  }
  plan.head = std::move(head);
  return plan;
}

} // namespace opflow::sync::detail
