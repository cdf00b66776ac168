#include "opflow/sync/PostgresSharedDatabase.h"

#include "../PushRules.h"
#include "PgConnection.h"
#include "PgSharedSchema.h"

#include "opflow/sync/SharedTarget.h"

#include <fmt/format.h>
#include <poll.h>

#include <map>

namespace opflow::sync {

namespace {

using pg::Params;
using pg::Pipelined;

// Held by every push from its first read to its commit (see the header).
constexpr const char* kFeedLock = "SELECT pg_advisory_xact_lock(7046820102)";
// Held while order numbers are handed out.
constexpr const char* kNumbersLock = "SELECT pg_advisory_xact_lock(7046820103)";
constexpr const char* kNowMs = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";
constexpr const char* kFeedChannel = "opflow_feed";

// A text[] literal of `values`.
std::string textArray(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (const std::string& value : values) {
    if (literal.size() > 1) {
      literal += ',';
    }
    literal += '"';
    for (const char c : value) {
      if (c == '"' || c == '\\') {
        literal += '\\';
      }
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}

std::string compact(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The new events of a plan in COPY's text format, for opflow.events.
std::string copyRows(const std::string& workstation, const std::vector<detail::PlannedEvent>& inserts) {
  std::string rows;
  for (const detail::PlannedEvent& planned : inserts) {
    const SharedEvent& event = *planned.event;
    const std::string seq = std::to_string(event.seq);
    const std::string version = std::to_string(event.payloadVersion);
    const std::optional<std::string> base =
        event.baseVersion ? std::optional<std::string>(std::to_string(*event.baseVersion)) : std::nullopt;
    const std::optional<std::string> payload =
        event.payload.is_null() ? std::nullopt : std::optional<std::string>(compact(event.payload));
    const std::string created = std::to_string(event.createdAtMs);
    const std::optional<std::string_view> fields[] = {
        event.id, workstation, seq,   event.kind, version, event.subjectId, base, payload, planned.digest, created,
        toString(planned.ack.outcome), planned.ack.reason};
    bool first = true;
    for (const auto& field : fields) {
      if (!first) {
        rows += '\t';
      }
      first = false;
      pg::appendCopyField(rows, field);
    }
    rows += '\n';
  }
  return rows;
}

// The orders a plan writes, as one statement over arrays.
Pipelined orderWrites(const std::string& workstation, const std::vector<detail::PlannedOrder>& orders) {
  std::vector<std::string> numbers, versions, records, events;
  for (const detail::PlannedOrder& order : orders) {
    numbers.push_back(order.event->subjectId);
    versions.push_back(std::to_string(order.version));
    records.push_back(compact(order.event->payload.at("order")));
    events.push_back(order.event->id);
  }
  return {"INSERT INTO opflow.orders (number, version, record, event_id, workstation) "
          "SELECT number, version, record, event_id, $5 "
          "FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) AS o(number, version, record, event_id) "
          "ON CONFLICT (number_key) DO UPDATE SET version = excluded.version, record = excluded.record, "
          "event_id = excluded.event_id, workstation = excluded.workstation",
          {textArray(numbers), textArray(versions), textArray(records), textArray(events), workstation}};
}

// The users a plan writes, as one statement over arrays (the workstation that added a
// user stays).
Pipelined userWrites(const std::string& workstation, const std::vector<detail::PlannedUser>& users) {
  std::vector<std::string> names, records, events;
  for (const detail::PlannedUser& user : users) {
    names.push_back(user.event->subjectId);
    records.push_back(compact(user.event->payload.at("user")));
    events.push_back(user.event->id);
  }
  return {"INSERT INTO opflow.users (name, record, event_id, workstation, changed_at) "
          "SELECT name, record, event_id, $4, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(name, record, "
          "event_id) "
          "ON CONFLICT (name_key) DO UPDATE SET record = excluded.record, event_id = excluded.event_id, "
          "changed_at = excluded.changed_at",
          {textArray(names), textArray(records), textArray(events), workstation}};
}

// The definition versions a plan adds to the shop, as one statement over arrays.
Pipelined definitionWrites(const std::string& workstation, const std::vector<const SharedEvent*>& definitions) {
  std::vector<std::string> subjects, hashes, events;
  for (const SharedEvent* event : definitions) {
    subjects.push_back(event->subjectId);
    hashes.push_back(event->payload.at("content_hash").get<std::string>());
    events.push_back(event->id);
  }
  return {"INSERT INTO opflow.definitions (subject, content_hash, event_id, workstation) "
          "SELECT subject, content_hash, event_id, $4 FROM unnest($1::text[], $2::text[], $3::text[]) "
          "AS d(subject, content_hash, event_id)",
          {textArray(subjects), textArray(hashes), textArray(events), workstation}};
}

// The signatures a plan's audit entries show given, as one statement over arrays.
Pipelined signatureWrites(const std::vector<detail::PlannedSignature>& signatures) {
  std::vector<std::string> ids, workstations, signers, roles, meanings;
  for (const detail::PlannedSignature& planned : signatures) {
    ids.push_back(planned.id);
    workstations.push_back(planned.signature.workstation);
    signers.push_back(planned.signature.signer);
    roles.push_back(planned.signature.role);
    meanings.push_back(planned.signature.meaning);
  }
  return {"INSERT INTO opflow.signatures (id, workstation, signer, role, meaning) "
          "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) "
          "ON CONFLICT (workstation, id) DO NOTHING",
          {textArray(ids), textArray(workstations), textArray(signers), textArray(roles), textArray(meanings)}};
}

} // namespace

PostgresSharedDatabase::PostgresSharedDatabase(std::string shown, std::unique_ptr<pg::PgConnection> connection)
    : m_shown(std::move(shown)), m_connection(std::move(connection)) {}

PostgresSharedDatabase::~PostgresSharedDatabase() = default;

int PostgresSharedDatabase::latestSchemaVersion() { return detail::postgresSharedMigrations().back().version; }

Result<std::unique_ptr<PostgresSharedDatabase>> PostgresSharedDatabase::create(const std::string& conninfo) {
  std::string shown = redactedTarget(conninfo);
  auto connection = pg::PgConnection::connect(conninfo, shown, kSharedConnectTimeout);
  if (!connection) {
    return connection.error();
  }
  if (Status migrated = detail::migratePostgresShared(**connection, shown); !migrated) {
    return migrated.error();
  }
  return std::unique_ptr<PostgresSharedDatabase>(new PostgresSharedDatabase(std::move(shown), std::move(*connection)));
}

Result<std::unique_ptr<PostgresSharedDatabase>> PostgresSharedDatabase::open(const std::string& conninfo,
                                                                           std::chrono::seconds connectTimeout) {
  std::string shown = redactedTarget(conninfo);
  auto connection = pg::PgConnection::connect(conninfo, shown, connectTimeout);
  if (!connection) {
    return connection.error();
  }
  auto version = detail::postgresSchemaVersion(**connection);
  if (!version) {
    return version.error();
  }
  if (auto mismatch = detail::schemaMismatch(shown, *version, latestSchemaVersion(),
                                             "none at all: `opflow-cli shared init` makes one")) {
    return *mismatch;
  }
  return std::unique_ptr<PostgresSharedDatabase>(new PostgresSharedDatabase(std::move(shown), std::move(*connection)));
}

Status PostgresSharedDatabase::connected() {
  if (m_connection->healthy()) {
    return {};
  }
  m_listening = false;
  return m_connection->reconnectIfBroken();
}

Result<SharedIdentity> PostgresSharedDatabase::identity() {
  if (Status ready = connected(); !ready) {
    return ready.error();
  }
  auto version = detail::postgresSchemaVersion(*m_connection);
  if (!version) {
    return version.error();
  }
  auto epoch = m_connection->query("SELECT value FROM opflow.shared_meta WHERE key = 'epoch'");
  if (!epoch) {
    return epoch.error();
  }
  return SharedIdentity{*version, epoch->size() == 1 ? std::string(epoch->text(0, 0)) : std::string()};
}

Result<std::int64_t> PostgresSharedDatabase::expectedSeq(const std::string& workstation) {
  if (Status ready = connected(); !ready) {
    return ready.error();
  }
  auto last = m_connection->query("SELECT last_seq FROM opflow.workstations WHERE name = $1", {workstation});
  if (!last) {
    return last.error();
  }
  return (last->size() == 1 ? last->int64(0, 0) : 0) + 1;
}

Result<PushAnswer> PostgresSharedDatabase::push(const std::string& workstation, const std::vector<SharedEvent>& events) {
  if (Status ready = connected(); !ready) {
    return ready.error();
  }
  std::vector<std::string> ids;
  std::vector<std::string> numbers;
  std::vector<std::string> names;
  std::vector<std::string> subjects;
  std::vector<std::string> signatures;
  for (const SharedEvent& event : events) {
    ids.push_back(event.id);
    const bool order = event.kind == "order.changed";
    if (order || event.kind == "definition.loaded") {
      (order ? numbers : subjects).push_back(event.subjectId);
      const Json change = event.payload.is_object() ? event.payload.value("change", Json()) : Json();
      if (change.is_object() && change.value("user", Json()).is_string()) {
        names.push_back(change.at("user").get<std::string>()); // the shop checks who made it
      }
      const Json signature = change.is_object() ? change.value("signature", Json()) : Json();
      if (signature.is_object() && signature.value("id", Json()).is_string() &&
          signature.value("signer", Json()).is_string()) {
        signatures.push_back(signature.at("id").get<std::string>()); // and the signature it records
        names.push_back(signature.at("signer").get<std::string>());
      }
    } else if (event.kind == "user.changed") {
      names.push_back(event.subjectId);
    }
  }
  auto read = m_connection->pipeline({
      {"BEGIN", {}},
      {kFeedLock, {}},
      {fmt::format("INSERT INTO opflow.workstations (name, first_contact, last_contact) VALUES ($1, {0}, {0}) "
                   "ON CONFLICT (name) DO NOTHING",
                   kNowMs),
       {workstation}},
      {"SELECT last_seq, audit_seq, audit_hash FROM opflow.workstations WHERE name = $1", {workstation}},
      {"SELECT id, workstation, seq, digest, outcome, reason FROM opflow.events WHERE id = ANY($1::text[])",
       {textArray(ids)}},
      {"SELECT number_key, version, event_id, record::jsonb ->> 'status', "
       "(record::jsonb -> 'hold_reason') <> 'null'::jsonb FROM opflow.orders "
       "WHERE number_key IN (SELECT opflow.number_key(n) FROM unnest($1::text[]) AS n)",
       {textArray(numbers)}},
      {"SELECT name_key, workstation, record FROM opflow.users "
       "WHERE name_key IN (SELECT opflow.number_key(n) FROM unnest($1::text[]) AS n)",
       {textArray(names)}},
      {"SELECT subject, workstation, content_hash FROM opflow.definitions WHERE subject = ANY($1::text[])",
       {textArray(subjects)}},
      {"SELECT id, workstation, signer, role, meaning FROM opflow.signatures "
       "WHERE workstation = $1 AND id = ANY($2::text[])",
       {workstation, textArray(signatures)}},
  });
  const auto rollback = [this](Error error) -> Error {
    if (m_connection->healthy()) {
      (void)m_connection->exec("ROLLBACK");
    }
    return error;
  };
  if (!read) {
    return rollback(read.error());
  }
  const pg::Rows& headRow = (*read)[3];
  const pg::Rows& storedRows = (*read)[4];
  const pg::Rows& orderRows = (*read)[5];
  const pg::Rows& userRows = (*read)[6];
  const pg::Rows& definitionRows = (*read)[7];
  const pg::Rows& signatureRows = (*read)[8];
  std::map<std::string, detail::StoredEvent, std::less<>> stored;
  for (int row = 0; row < storedRows.size(); ++row) {
    stored.emplace(std::string(storedRows.text(row, 0)),
                   detail::StoredEvent{std::string(storedRows.text(row, 1)), storedRows.int64(row, 2),
                                       std::string(storedRows.text(row, 3)),
                                       parseEventOutcome(storedRows.text(row, 4)).value_or(EventOutcome::Refused),
                                       std::string(storedRows.text(row, 5))});
  }
  std::map<std::string, detail::SharedOrderState, std::less<>> orders;
  for (int row = 0; row < orderRows.size(); ++row) {
    orders.emplace(std::string(orderRows.text(row, 0)),
                   detail::SharedOrderState{orderRows.int64(row, 1), std::string(orderRows.text(row, 2)),
                                            std::string(orderRows.text(row, 3)), orderRows.text(row, 4) == "t"});
  }
  std::map<std::string, detail::ShopUser, std::less<>> users;
  for (int row = 0; row < userRows.size(); ++row) {
    users.emplace(std::string(userRows.text(row, 0)),
                  detail::ShopUser{std::string(userRows.text(row, 1)), Json::parse(userRows.text(row, 2), nullptr, false)});
  }
  std::map<std::string, detail::ShopDefinition, std::less<>> definitions;
  for (int row = 0; row < definitionRows.size(); ++row) {
    definitions.emplace(std::string(definitionRows.text(row, 0)),
                        detail::ShopDefinition{std::string(definitionRows.text(row, 1)),
                                               std::string(definitionRows.text(row, 2))});
  }
  std::map<std::string, detail::ShopSignature, std::less<>> given;
  for (int row = 0; row < signatureRows.size(); ++row) {
    given.emplace(std::string(signatureRows.text(row, 0)),
                  detail::ShopSignature{std::string(signatureRows.text(row, 1)), std::string(signatureRows.text(row, 2)),
                                        std::string(signatureRows.text(row, 3)),
                                        std::string(signatureRows.text(row, 4))});
  }
  const detail::Head head{headRow.int64(0, 0), {headRow.int64(0, 1), std::string(headRow.text(0, 2))}};
  const detail::PushLookups lookups{
      [&stored](const std::string& id) -> Result<std::optional<detail::StoredEvent>> {
        auto found = stored.find(id);
        return found != stored.end() ? std::optional(found->second) : std::nullopt;
      },
      [&orders](const std::string& number) -> Result<std::optional<detail::SharedOrderState>> {
        auto found = orders.find(detail::sharedNameKey(number));
        return found != orders.end() ? std::optional(found->second) : std::nullopt;
      },
      [&users](const std::string& name) -> Result<std::optional<detail::ShopUser>> {
        auto found = users.find(detail::sharedNameKey(name));
        return found != users.end() ? std::optional(found->second) : std::nullopt;
      },
      [&definitions](const std::string& subject) -> Result<std::optional<detail::ShopDefinition>> {
        auto found = definitions.find(subject);
        return found != definitions.end() ? std::optional(found->second) : std::nullopt;
      },
      [&given](const std::string&, const std::string& id) -> Result<std::optional<detail::ShopSignature>> {
        auto found = given.find(id); // read for this workstation only
        return found != given.end() ? std::optional(found->second) : std::nullopt;
      }};
  auto plan = detail::planPush(workstation, events, head, lookups);
  if (!plan) {
    return rollback(plan.error());
  }
  if (!plan->inserts.empty()) {
    if (Status copied = m_connection->copyIn(
            "COPY opflow.events (id, workstation, seq, kind, payload_version, subject_id, base_version, payload, "
            "digest, created_at, outcome, reason) FROM STDIN",
            copyRows(workstation, plan->inserts));
        !copied) {
      return rollback(copied.error());
    }
  }
  std::vector<Pipelined> writes;
  if (!plan->orders.empty()) {
    writes.push_back(orderWrites(workstation, plan->orders));
  }
  if (!plan->users.empty()) {
    writes.push_back(userWrites(workstation, plan->users));
  }
  if (!plan->definitions.empty()) {
    writes.push_back(definitionWrites(workstation, plan->definitions));
  }
  if (!plan->signatures.empty()) {
    writes.push_back(signatureWrites(plan->signatures));
  }
  writes.push_back({fmt::format("UPDATE opflow.workstations SET last_seq = $1, audit_seq = $2, audit_hash = $3, "
                                "last_contact = {} WHERE name = $4",
                                kNowMs),
                    {std::to_string(plan->head.lastSeq), std::to_string(plan->head.audit.seq), plan->head.audit.hash,
                     workstation}});
  if (!plan->inserts.empty()) {
    writes.push_back({fmt::format("SELECT pg_notify('{}', '')", kFeedChannel), {}});
  }
  writes.push_back({"COMMIT", {}});
  if (auto written = m_connection->pipeline(writes); !written) {
    return rollback(written.error());
  }
  return PushAnswer{std::move(plan->acks), plan->head.lastSeq + 1};
}

Result<FeedPage> PostgresSharedDatabase::feed(std::int64_t position, std::size_t limit) {
  if (Status ready = connected(); !ready) {
    return ready.error();
  }
  auto rows = m_connection->query(
      "SELECT position, id, workstation, seq, kind, payload_version, subject_id, base_version, payload, created_at, "
      "outcome, reason FROM opflow.events WHERE position > $1 ORDER BY position LIMIT $2",
      {std::to_string(position), std::to_string(limit)});
  if (!rows) {
    return rows.error();
  }
  FeedPage page{{}, position};
  page.events.reserve(static_cast<std::size_t>(rows->size()));
  for (int row = 0; row < rows->size(); ++row) {
    FeedEvent item;
    item.position = rows->int64(row, 0);
    item.event.id = rows->text(row, 1);
    item.event.workstation = rows->text(row, 2);
    item.event.seq = rows->int64(row, 3);
    item.event.kind = rows->text(row, 4);
    item.event.payloadVersion = static_cast<int>(rows->int64(row, 5));
    item.event.subjectId = rows->text(row, 6);
    if (!rows->isNull(row, 7)) {
      item.event.baseVersion = rows->int64(row, 7);
    }
    item.event.payload = rows->isNull(row, 8) ? Json(nullptr) : Json::parse(rows->text(row, 8), nullptr, false);
    item.event.createdAtMs = rows->int64(row, 9);
    item.outcome = parseEventOutcome(rows->text(row, 10)).value_or(EventOutcome::Refused);
    item.reason = rows->text(row, 11);
    page.cursor = item.position;
    page.events.push_back(std::move(item));
  }
  return page;
}

Status PostgresSharedDatabase::claimNumbers(const std::string& workstation, const NumberBlock& block) {
  if (Status ready = connected(); !ready) {
    return ready;
  }
  const std::string first = std::to_string(block.first);
  const std::string last = std::to_string(block.last);
  auto answers = m_connection->pipeline({
      {"BEGIN", {}},
      {kNumbersLock, {}},
      {"SELECT workstation, first, last FROM opflow.number_blocks WHERE first <= $1 AND last >= $2 AND "
       "workstation <> $3 LIMIT 1",
       {last, first, workstation}},
  });
  const auto rollback = [this](Error error) -> Status {
    if (m_connection->healthy()) {
      (void)m_connection->exec("ROLLBACK");
    }
    return error;
  };
  if (!answers) {
    return rollback(answers.error());
  }
  const pg::Rows& held = (*answers)[2];
  if (held.size() > 0) {
    return rollback(detail::numbersHeldElsewhere(workstation, block, std::string(held.text(0, 0)),
                                                 NumberBlock{held.int64(0, 1), held.int64(0, 2)}));
  }
  auto written = m_connection->pipeline({
      {"INSERT INTO opflow.number_blocks (first, last, workstation) VALUES ($1, $2, $3) "
       "ON CONFLICT (first) DO UPDATE SET last = greatest(opflow.number_blocks.last, excluded.last)",
       {first, last, workstation}},
      {"COMMIT", {}},
  });
  return written ? Status{} : rollback(written.error());
}

Result<NumberBlock> PostgresSharedDatabase::reserveNumbers(const std::string& workstation, std::int64_t count) {
  if (Status ready = connected(); !ready) {
    return ready.error();
  }
  auto answers = m_connection->pipeline({
      {"BEGIN", {}},
      {kNumbersLock, {}},
      {"INSERT INTO opflow.number_blocks (first, last, workstation) "
       "SELECT coalesce(max(last), 0) + 1, coalesce(max(last), 0) + $1, $2 FROM opflow.number_blocks "
       "RETURNING first, last",
       {std::to_string(count), workstation}},
      {"COMMIT", {}},
  });
  if (!answers) {
    if (m_connection->healthy()) {
      (void)m_connection->exec("ROLLBACK");
    }
    return answers.error();
  }
  return NumberBlock{(*answers)[2].int64(0, 0), (*answers)[2].int64(0, 1)};
}

Result<std::optional<SharedOrder>> PostgresSharedDatabase::order(const std::string& number) {
  if (Status ready = connected(); !ready) {
    return ready.error();
  }
  auto rows = m_connection->query(
      "SELECT version, event_id, workstation, record FROM opflow.orders WHERE number_key = opflow.number_key($1)",
      {number});
  if (!rows) {
    return rows.error();
  }
  if (rows->size() == 0) {
    return std::optional<SharedOrder>();
  }
  return std::optional<SharedOrder>(SharedOrder{rows->int64(0, 0), std::string(rows->text(0, 1)),
                                                std::string(rows->text(0, 2)),
                                                Json::parse(rows->text(0, 3), nullptr, false)});
}

Result<std::vector<ShopAuditEntry>> PostgresSharedDatabase::auditEntries(const ShopAuditQuery& query) {
  if (Status ready = connected(); !ready) {
    return ready.error();
  }
  // The same expressions and predicate as the indexes of shared migration 3.
  std::string sql =
      "SELECT position, workstation, payload FROM opflow.events WHERE kind = 'audit.entry' AND outcome = 'applied'";
  Params params;
  const auto next = [&params](std::string value) {
    params.emplace_back(std::move(value));
    return fmt::format("${}", params.size());
  };
  for (const auto& [key, value] : {std::pair{"user", &query.filter.user}, std::pair{"action", &query.filter.action},
                                   std::pair{"order_number", &query.filter.orderNumber},
                                   std::pair{"correlation_id", &query.filter.correlationId}}) {
    if (!value->empty()) {
      sql += fmt::format(" AND (payload::jsonb ->> '{}') = {}", key, next(*value));
    }
  }
  if (query.filter.sinceMs) {
    sql += fmt::format(" AND (payload::jsonb ->> 'at_ms')::bigint >= {}", next(std::to_string(*query.filter.sinceMs)));
  }
  if (query.filter.untilMs) {
    sql += fmt::format(" AND (payload::jsonb ->> 'at_ms')::bigint < {}", next(std::to_string(*query.filter.untilMs)));
  }
  if (query.beforePosition > 0) {
    sql += fmt::format(" AND position < {}", next(std::to_string(query.beforePosition)));
  }
  sql += fmt::format(" ORDER BY position DESC LIMIT {}", next(std::to_string(query.limit)));
  auto rows = m_connection->query(sql, params);
  if (!rows) {
    return rows.error();
  }
  std::vector<ShopAuditEntry> entries;
  entries.reserve(static_cast<std::size_t>(rows->size()));
  for (int row = 0; row < rows->size(); ++row) {
    entries.push_back({rows->int64(row, 0), std::string(rows->text(row, 1)),
                       auditEntryFromPayload(Json::parse(rows->text(row, 2), nullptr, false))});
  }
  return entries;
}

Result<ShopOperationSteps> PostgresSharedDatabase::operationSteps(const store::StatisticsQuery& query) {
  if (Status ready = connected(); !ready) {
    return ready.error();
  }
  // The same expressions and predicates as the indexes of shared migration 4.
  std::string runsSql = "SELECT subject_id FROM opflow.events WHERE kind = 'run.summary' AND outcome = 'applied' "
                        "AND ((payload::jsonb) ->> 'operation') = $1";
  Params params{query.operation, std::to_string(query.runWindow)};
  if (query.version) {
    runsSql += " AND ((payload::jsonb) ->> 'version') = $3";
    params.push_back(std::to_string(*query.version));
  }
  runsSql += " ORDER BY position DESC LIMIT $2";
  auto runs = m_connection->query(runsSql, params);
  if (!runs) {
    return runs.error();
  }
  ShopOperationSteps found;
  for (int row = 0; row < runs->size(); ++row) {
    found.runs.emplace_back(runs->text(row, 0));
  }
  auto steps = m_connection->query(
      "SELECT payload FROM opflow.events WHERE kind = 'audit.entry' AND outcome = 'applied' "
      "AND ((payload::jsonb) ->> 'action') = 'run.step' "
      "AND ((payload::jsonb) ->> 'subject_id') IN (SELECT jsonb_array_elements_text($1::jsonb))",
      Params{Json(found.runs).dump()});
  if (!steps) {
    return steps.error();
  }
  for (int row = 0; row < steps->size(); ++row) {
    if (auto step = runStepFromPayload(Json::parse(steps->text(row, 0), nullptr, false))) {
      found.steps.push_back(std::move(*step));
    }
  }
  return found;
}

Result<bool> PostgresSharedDatabase::waitForChange(std::chrono::milliseconds timeout) {
  if (Status ready = connected(); !ready) {
    return ready.error();
  }
  if (!m_listening) {
    if (Status listening = m_connection->exec(fmt::format("LISTEN {}", kFeedChannel)); !listening) {
      return listening.error();
    }
    m_listening = true;
    // What committed before the LISTEN (since the caller last read the feed) sent no
    // notification this connection hears: the caller looks at the feed again now.
    return true;
  }
  auto arrived = m_connection->notifications();
  if (!arrived) {
    return arrived.error();
  }
  if (!arrived->empty()) {
    return true;
  }
  pollfd socket{m_connection->socket(), POLLIN, 0};
  if (::poll(&socket, 1, static_cast<int>(timeout.count())) <= 0) {
    return false;
  }
  arrived = m_connection->notifications();
  if (!arrived) {
    return arrived.error();
  }
  return !arrived->empty();
}

} // namespace opflow::sync
