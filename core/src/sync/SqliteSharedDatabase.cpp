#include "opflow/sync/SqliteSharedDatabase.h"

#include "PushRules.h"
#include "SqliteSharedSchema.h"

#include "opflow/store/Database.h"

#include <fmt/format.h>

#include <filesystem>
#include <thread>

namespace opflow::sync {

namespace {

using store::Database;
using store::Statement;

constexpr std::string_view kWhat = "shared database";

Result<detail::Head> loadHead(Database& db, const std::string& workstation, std::int64_t nowMs) {
  auto insert = db.prepare(
      "INSERT INTO workstations (name, first_contact, last_contact) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING");
  if (!insert) {
    return insert.error();
  }
  (*insert)->bind(1, workstation).bind(2, nowMs).bind(3, nowMs);
  if (Status inserted = (*insert)->run(); !inserted) {
    return inserted.error();
  }
  auto head = store::selectOne(
      db, "SELECT last_seq, audit_seq, audit_hash FROM workstations WHERE name = ?",
      [](const Statement& row) { return detail::Head{row.int64(0), {row.int64(1), row.text(2)}}; }, workstation);
  if (!head) {
    return head.error();
  }
  return **head;
}

Status saveHead(Database& db, const std::string& workstation, const detail::Head& head, std::int64_t nowMs) {
  auto update = db.prepare(
      "UPDATE workstations SET last_seq = ?, audit_seq = ?, audit_hash = ?, last_contact = ? WHERE name = ?");
  if (!update) {
    return update.error();
  }
  (*update)->bind(1, head.lastSeq).bind(2, head.audit.seq).bind(3, head.audit.hash).bind(4, nowMs).bind(5, workstation);
  return (*update)->run();
}

Result<std::optional<detail::StoredEvent>> storedEvent(Database& db, const std::string& id) {
  return store::selectOne(
      db, "SELECT workstation, seq, digest, outcome, reason FROM events WHERE id = ?",
      [](const Statement& row) {
        return detail::StoredEvent{row.text(0), row.int64(1), row.text(2),
                           parseEventOutcome(row.textView(3)).value_or(EventOutcome::Refused), row.text(4)};
      },
      id);
}

Result<std::optional<detail::SharedOrderState>> sharedOrderState(Database& db, const std::string& number) {
  return store::selectOne(
      db,
      "SELECT version, event_id, json_extract(record, '$.status'), json_extract(record, '$.hold_reason') IS NOT NULL "
      "FROM orders WHERE number = ?",
      [](const Statement& row) {
        return detail::SharedOrderState{row.int64(0), row.text(1), row.text(2), row.int64(3) != 0};
      },
      number);
}

Result<std::optional<detail::ShopSignature>> shopSignature(Database& db, const std::string& workstation,
                                                          const std::string& id) {
  return store::selectOne(
      db, "SELECT workstation, signer, role, meaning FROM signatures WHERE workstation = ? AND id = ?",
      [](const Statement& row) { return detail::ShopSignature{row.text(0), row.text(1), row.text(2), row.text(3)}; },
      workstation, id);
}

Status writeSignature(Database& db, const detail::PlannedSignature& planned) {
  auto insert = db.prepare(
      "INSERT INTO signatures (id, workstation, signer, role, meaning) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (workstation, id) DO NOTHING");
  if (!insert) {
    return insert.error();
  }
  const detail::ShopSignature& given = planned.signature;
  (*insert)->bind(1, planned.id).bind(2, given.workstation).bind(3, given.signer).bind(4, given.role);
  (*insert)->bind(5, given.meaning);
  return (*insert)->run();
}

Result<std::optional<detail::ShopUser>> shopUser(Database& db, const std::string& name) {
  return store::selectOne(
      db, "SELECT workstation, record FROM users WHERE name = ?",
      [](const Statement& row) { return detail::ShopUser{row.text(0), Json::parse(row.textView(1), nullptr, false)}; },
      name);
}

Result<std::optional<detail::ShopDefinition>> shopDefinition(Database& db, const std::string& subject) {
  return store::selectOne(
      db, "SELECT workstation, content_hash FROM definitions WHERE subject = ?",
      [](const Statement& row) { return detail::ShopDefinition{row.text(0), row.text(1)}; }, subject);
}

Status writeDefinition(Database& db, const std::string& workstation, const SharedEvent& event) {
  auto insert =
      db.prepare("INSERT INTO definitions (subject, content_hash, event_id, workstation) VALUES (?, ?, ?, ?)");
  if (!insert) {
    return insert.error();
  }
  (*insert)->bind(1, event.subjectId).bind(2, event.payload.at("content_hash").get<std::string>());
  (*insert)->bind(3, event.id).bind(4, workstation);
  return (*insert)->run();
}

// Writes the user an applied change left (the workstation that added them stays).
Status writeUser(Database& db, const std::string& workstation, const detail::PlannedUser& user) {
  const SharedEvent& event = *user.event;
  auto upsert = db.prepare(
      "INSERT INTO users (name, record, event_id, workstation, changed_at) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET record = excluded.record, event_id = excluded.event_id, "
      "changed_at = excluded.changed_at");
  if (!upsert) {
    return upsert.error();
  }
  (*upsert)
      ->bind(1, event.subjectId)
      .bind(2, event.payload.at("user").dump(-1, ' ', false, Json::error_handler_t::replace))
      .bind(3, event.id)
      .bind(4, workstation)
      .bind(5, workstation);
  return (*upsert)->run();
}

// Writes the order an applied change left.
Status writeOrder(Database& db, const std::string& workstation, const detail::PlannedOrder& order) {
  const SharedEvent& event = *order.event;
  auto upsert = db.prepare(
      "INSERT INTO orders (number, version, record, event_id, workstation) VALUES (?, ?, ?, ?, ?) "
      "ON CONFLICT (number) DO UPDATE SET version = excluded.version, record = excluded.record, "
      "event_id = excluded.event_id, workstation = excluded.workstation");
  if (!upsert) {
    return upsert.error();
  }
  (*upsert)
      ->bind(1, event.subjectId)
      .bind(2, order.version)
      .bind(3, event.payload.at("order").dump(-1, ' ', false, Json::error_handler_t::replace))
      .bind(4, event.id)
      .bind(5, workstation);
  return (*upsert)->run();
}

Status insertEvent(Database& db, const std::string& workstation, const SharedEvent& event, const std::string& digest,
                   const EventAck& ack, std::int64_t nowMs) {
  auto insert = db.prepare(
      "INSERT INTO events (id, workstation, seq, kind, payload_version, subject_id, base_version, payload, digest, "
      "created_at, received_at, outcome, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) {
    return insert.error();
  }
  Statement& statement = **insert;
  statement.bind(1, event.id).bind(2, workstation).bind(3, event.seq).bind(4, event.kind).bind(5, event.payloadVersion);
  statement.bind(6, event.subjectId);
  if (event.baseVersion) {
    statement.bind(7, *event.baseVersion);
  } else {
    statement.bindNull(7);
  }
  if (event.payload.is_null()) {
    statement.bindNull(8);
  } else {
    statement.bind(8, event.payload.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  statement.bind(9, digest).bind(10, event.createdAtMs).bind(11, nowMs).bind(12, toString(ack.outcome));
  statement.bind(13, ack.reason);
  return statement.run();
}

} // namespace

SqliteSharedDatabase::SqliteSharedDatabase(std::string path, std::unique_ptr<Database> db)
    : m_path(std::move(path)), m_db(std::move(db)) {}

SqliteSharedDatabase::~SqliteSharedDatabase() = default;

int SqliteSharedDatabase::latestSchemaVersion() { return detail::sqliteSharedMigrations().back().version; }

Result<std::unique_ptr<SqliteSharedDatabase>> SqliteSharedDatabase::create(const std::string& path) {
  auto db = Database::open({path, false, true, store::Durability::Full, 5000, {}});
  if (!db) {
    return db.error();
  }
  if (Status migrated = store::applyMigrations(**db, detail::sqliteSharedMigrations(), kWhat); !migrated) {
    return migrated.error();
  }
  return std::unique_ptr<SqliteSharedDatabase>(new SqliteSharedDatabase(path, std::move(*db)));
}

Result<std::unique_ptr<SqliteSharedDatabase>> SqliteSharedDatabase::open(const std::string& path) {
  std::error_code ignored;
  if (!std::filesystem::is_regular_file(path, ignored)) {
    return makeError(ErrorCode::Io, fmt::format("the shared database \"{}\" is not there (only `opflow-cli shared "
                                                "init` makes one)",
                                                path));
  }
  auto db = Database::open({path, false, false, store::Durability::Full, 5000, {}});
  if (!db) {
    return db.error();
  }
  auto version = store::schemaVersionOf(**db);
  if (!version) {
    return version.error();
  }
  if (auto mismatch = detail::schemaMismatch(path, *version, latestSchemaVersion(), "not a shared database at all?")) {
    return *mismatch;
  }
  return std::unique_ptr<SqliteSharedDatabase>(new SqliteSharedDatabase(path, std::move(*db)));
}

Result<SharedIdentity> SqliteSharedDatabase::identity() {
  auto version = store::schemaVersionOf(*m_db);
  if (!version) {
    return version.error();
  }
  auto epoch = store::selectOne(
      *m_db, "SELECT value FROM shared_meta WHERE key = 'epoch'", [](const Statement& row) { return row.text(0); });
  if (!epoch) {
    return epoch.error();
  }
  return SharedIdentity{*version, epoch->value_or("")};
}

Result<std::int64_t> SqliteSharedDatabase::expectedSeq(const std::string& workstation) {
  auto last = store::selectOne(
      *m_db, "SELECT last_seq FROM workstations WHERE name = ?", [](const Statement& row) { return row.int64(0); },
      workstation);
  if (!last) {
    return last.error();
  }
  return last->value_or(0) + 1;
}

Result<PushAnswer> SqliteSharedDatabase::push(const std::string& workstation, const std::vector<SharedEvent>& events) {
  Database& db = *m_db;
  auto transaction = store::Transaction::begin(db);
  if (!transaction) {
    return transaction.error();
  }
  const std::int64_t now = db.nowMs();
  auto head = loadHead(db, workstation, now);
  if (!head) {
    return head.error();
  }
  const detail::PushLookups lookups{[&db](const std::string& id) { return storedEvent(db, id); },
                                     [&db](const std::string& number) { return sharedOrderState(db, number); },
                                     [&db](const std::string& name) { return shopUser(db, name); },
                                     [&db](const std::string& subject) { return shopDefinition(db, subject); },
                                     [&db](const std::string& giver, const std::string& id) {
                                       return shopSignature(db, giver, id);
                                     }};
  auto plan = detail::planPush(workstation, events, *head, lookups);
  if (!plan) {
    return plan.error();
  }
  for (const detail::PlannedEvent& planned : plan->inserts) {
    if (Status inserted = insertEvent(db, workstation, *planned.event, planned.digest, planned.ack, now); !inserted) {
      return inserted.error();
    }
  }
  for (const detail::PlannedOrder& order : plan->orders) {
    if (Status written = writeOrder(db, workstation, order); !written) {
      return written.error();
    }
  }
  for (const detail::PlannedUser& user : plan->users) {
    if (Status written = writeUser(db, workstation, user); !written) {
      return written.error();
    }
  }
  for (const detail::PlannedSignature& signature : plan->signatures) {
    if (Status written = writeSignature(db, signature); !written) {
      return written.error();
    }
  }
  for (const SharedEvent* definition : plan->definitions) {
    if (Status written = writeDefinition(db, workstation, *definition); !written) {
      return written.error();
    }
  }
  if (Status saved = saveHead(db, workstation, plan->head, now); !saved) {
    return saved.error();
  }
  if (Status committed = transaction->commit(); !committed) {
    return committed.error();
  }
  return PushAnswer{std::move(plan->acks), plan->head.lastSeq + 1};
}

Result<FeedPage> SqliteSharedDatabase::feed(std::int64_t position, std::size_t limit) {
  auto select = m_db->prepare(
      "SELECT position, id, workstation, seq, kind, payload_version, subject_id, base_version, payload, created_at, "
      "outcome, reason FROM events WHERE position > ? ORDER BY position LIMIT ?");
  if (!select) {
    return select.error();
  }
  (*select)->bind(1, position).bind(2, static_cast<std::int64_t>(limit));
  FeedPage page{{}, position};
  while (true) {
    auto row = (*select)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      break;
    }
    const Statement& s = **select;
    FeedEvent item;
    item.position = s.int64(0);
    item.event.id = s.text(1);
    item.event.workstation = s.text(2);
    item.event.seq = s.int64(3);
    item.event.kind = s.text(4);
    item.event.payloadVersion = static_cast<int>(s.int64(5));
    item.event.subjectId = s.text(6);
    if (!s.isNull(7)) {
      item.event.baseVersion = s.int64(7);
    }
    item.event.payload = s.isNull(8) ? Json(nullptr) : Json::parse(s.textView(8), nullptr, false);
    item.event.createdAtMs = s.int64(9);
    item.outcome = parseEventOutcome(s.textView(10)).value_or(EventOutcome::Refused);
    item.reason = s.text(11);
    page.cursor = item.position;
    page.events.push_back(std::move(item));
  }
  return page;
}

Result<std::optional<SharedOrder>> SqliteSharedDatabase::order(const std::string& number) {
  return store::selectOne(
      *m_db, "SELECT version, event_id, workstation, record FROM orders WHERE number = ?",
      [](const Statement& row) {
        return SharedOrder{row.int64(0), row.text(1), row.text(2), Json::parse(row.textView(3), nullptr, false)};
      },
      number);
}

Result<std::vector<ShopAuditEntry>> SqliteSharedDatabase::auditEntries(const ShopAuditQuery& query) {
  // The same expressions and predicate as the indexes of shared migration 4.
  std::string sql = "SELECT position, workstation, payload FROM events WHERE kind = 'audit.entry' AND outcome = 'applied'";
  std::vector<std::string_view> texts;
  for (const auto& [key, value] : {std::pair{"user", &query.filter.user}, std::pair{"action", &query.filter.action},
                                   std::pair{"order_number", &query.filter.orderNumber},
                                   std::pair{"correlation_id", &query.filter.correlationId}}) {
    if (!value->empty()) {
      sql += fmt::format(" AND json_extract(payload, '$.{}') = ?", key);
      texts.push_back(*value);
    }
  }
  std::vector<std::int64_t> numbers;
  if (query.filter.sinceMs) {
    sql += " AND json_extract(payload, '$.at_ms') >= ?";
    numbers.push_back(*query.filter.sinceMs);
  }
  if (query.filter.untilMs) {
    sql += " AND json_extract(payload, '$.at_ms') < ?";
    numbers.push_back(*query.filter.untilMs);
  }
  if (query.beforePosition > 0) {
    sql += " AND position < ?";
    numbers.push_back(query.beforePosition);
  }
  sql += " ORDER BY position DESC LIMIT ?";
  numbers.push_back(static_cast<std::int64_t>(query.limit));
  auto select = m_db->prepare(sql);
  if (!select) {
    return select.error();
  }
  int index = 1;
  for (std::string_view text : texts) {
    (*select)->bind(index++, text);
  }
  for (std::int64_t number : numbers) {
    (*select)->bind(index++, number);
  }
  std::vector<ShopAuditEntry> entries;
  while (true) {
    auto row = (*select)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return entries;
    }
    entries.push_back({(*select)->int64(0), (*select)->text(1),
                       auditEntryFromPayload(Json::parse((*select)->textView(2), nullptr, false))});
  }
}

Result<ShopOperationSteps> SqliteSharedDatabase::operationSteps(const store::StatisticsQuery& query) {
  // The same expressions and predicates as the indexes of shared migration 5.
  std::string runsSql = "SELECT subject_id FROM events WHERE kind = 'run.summary' AND outcome = 'applied' "
                        "AND json_extract(payload, '$.operation') = ?1";
  if (query.version) {
    runsSql += " AND json_extract(payload, '$.version') = ?3";
  }
  runsSql += " ORDER BY position DESC LIMIT ?2";
  auto runs = m_db->prepare(runsSql);
  if (!runs) {
    return runs.error();
  }
  (*runs)->bind(1, query.operation).bind(2, query.runWindow);
  if (query.version) {
    (*runs)->bind(3, *query.version);
  }
  ShopOperationSteps found;
  while (true) {
    auto row = (*runs)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      break;
    }
    found.runs.push_back((*runs)->text(0));
  }
  auto steps = m_db->prepare("SELECT payload FROM events WHERE kind = 'audit.entry' AND outcome = 'applied' "
                             "AND json_extract(payload, '$.action') = 'run.step' "
                             "AND json_extract(payload, '$.subject_id') IN (SELECT value FROM json_each(?1))");
  if (!steps) {
    return steps.error();
  }
  (*steps)->bind(1, Json(found.runs).dump());
  while (true) {
    auto row = (*steps)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return found;
    }
    if (auto step = runStepFromPayload(Json::parse((*steps)->textView(0), nullptr, false))) {
      found.steps.push_back(std::move(*step));
    }
  }
}

Result<bool> SqliteSharedDatabase::waitForChange(std::chrono::milliseconds timeout) {
  // The counter moves when another connection commits, never for this one's own pushes.
  constexpr std::chrono::milliseconds kLook{10};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto version = store::selectOne(*m_db, "PRAGMA data_version", [](const Statement& row) { return row.int64(0); });
    if (!version) {
      return version.error();
    }
    // The first look has nothing to compare with: what committed before it was not
    // watched, so the caller reads the feed again.
    const bool changed = !m_seenDataVersion || *m_seenDataVersion != **version;
    m_seenDataVersion = **version;
    const auto now = std::chrono::steady_clock::now();
    if (changed || now >= deadline) {
      return changed;
    }
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(kLook, deadline - now));
  }
}

Status SqliteSharedDatabase::claimNumbers(const std::string& workstation, const NumberBlock& block) {
  Database& db = *m_db;
  auto transaction = store::Transaction::begin(db);
  if (!transaction) {
    return transaction.error();
  }
  auto held = store::selectOne(
      db, "SELECT workstation, first, last FROM number_blocks WHERE first <= ? AND last >= ? AND workstation <> ? LIMIT 1",
      [](const Statement& row) { return std::pair{row.text(0), NumberBlock{row.int64(1), row.int64(2)}}; },
      block.last, block.first, workstation);
  if (!held) {
    return held.error();
  }
  if (*held) {
    return detail::numbersHeldElsewhere(workstation, block, (*held)->first, (*held)->second);
  }
  auto insert = db.prepare(
      "INSERT INTO number_blocks (first, last, workstation, reserved_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (first) DO UPDATE SET last = max(last, excluded.last)");
  if (!insert) {
    return insert.error();
  }
  (*insert)->bind(1, block.first).bind(2, block.last).bind(3, workstation).bind(4, db.nowMs());
  if (Status inserted = (*insert)->run(); !inserted) {
    return inserted;
  }
  return transaction->commit();
}

Result<NumberBlock> SqliteSharedDatabase::reserveNumbers(const std::string& workstation, std::int64_t count) {
  Database& db = *m_db;
  auto transaction = store::Transaction::begin(db);
  if (!transaction) {
    return transaction.error();
  }
  auto last = store::selectOne(db, "SELECT coalesce(max(last), 0) FROM number_blocks",
                               [](const Statement& row) { return row.int64(0); });
  if (!last) {
    return last.error();
  }
  const NumberBlock block{**last + 1, **last + count};
  auto insert = db.prepare("INSERT INTO number_blocks (first, last, workstation, reserved_at) VALUES (?, ?, ?, ?)");
  if (!insert) {
    return insert.error();
  }
  (*insert)->bind(1, block.first).bind(2, block.last).bind(3, workstation).bind(4, db.nowMs());
  if (Status inserted = (*insert)->run(); !inserted) {
    return inserted.error();
  }
  if (Status committed = transaction->commit(); !committed) {
    return committed.error();
  }
  return block;
}

} // namespace opflow::sync
