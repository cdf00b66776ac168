#include "opflow/sync/Synchronizer.h"

#include "opflow/store/AuditLog.h"
#include "opflow/store/DefinitionStore.h"
#include "opflow/store/Outbox.h"
#include "opflow/store/SharedOrders.h"
#include "opflow/store/SharedUsers.h"
#include "opflow/sync/OrderNumberBlocks.h"
#include "opflow/sync/SyncConflicts.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

namespace opflow::sync {

namespace {

using store::Database;
using store::Statement;

// The audit entry of an "audit.entry" event as the chain holds it; before/after stay the
// compact text the chain hashed.
Json auditPayload(const Statement& row, int first) {
  const auto textOrNull = [&row](int column) { return row.isNull(column) ? Json(nullptr) : Json(row.text(column)); };
  return Json{{"seq", row.int64(first)},
              {"id", row.text(first + 1)},
              {"at_ms", row.int64(first + 2)},
              {"user", row.text(first + 3)},
              {"role", row.text(first + 4)},
              {"workstation", row.text(first + 5)},
              {"correlation_id", row.text(first + 6)},
              {"action", row.text(first + 7)},
              {"subject_type", row.text(first + 8)},
              {"subject_id", row.text(first + 9)},
              {"order_number", textOrNull(first + 10)},
              {"before", textOrNull(first + 11)},
              {"after", textOrNull(first + 12)},
              {"reason", row.text(first + 13)},
              {"prev_hash", row.text(first + 14)},
              {"hash", row.text(first + 15)}};
}

// The next `limit` events waiting to go up, in sequence order.
Result<std::vector<SharedEvent>> pendingEvents(store::LocalStore& local, const std::string& workstation,
                                               std::size_t limit) {
  auto db = local.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto select = (*db)->prepare(
      "SELECT o.seq, o.id, o.kind, o.subject_id, o.base_version, o.payload, o.payload_version, o.created_at, "
      "  a.seq, a.id, a.at_ms, a.user, a.role, a.workstation, a.correlation_id, a.action, a.subject_type, "
      "  a.subject_id, a.order_number, a.before, a.after, a.reason, a.prev_hash, a.hash "
      "FROM outbox AS o LEFT JOIN audit AS a ON o.kind = 'audit.entry' AND a.id = o.subject_id "
      "WHERE o.pushed_at IS NULL ORDER BY o.seq LIMIT ?");
  if (!select) {
    return select.error();
  }
  (*select)->bind(1, static_cast<std::int64_t>(limit));
  std::vector<SharedEvent> events;
  while (true) {
    auto row = (*select)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return events;
    }
    const Statement& s = **select;
    SharedEvent event;
    event.seq = s.int64(0);
    event.id = s.text(1);
    event.workstation = workstation;
    event.kind = s.text(2);
    event.subjectId = s.text(3);
    if (!s.isNull(4)) {
      event.baseVersion = s.int64(4);
    }
    if (event.kind == "audit.entry") {
      event.payload = s.isNull(8) ? Json(nullptr) : auditPayload(s, 8);
    } else if (!s.isNull(5)) {
      event.payload = Json::parse(s.textView(5), nullptr, false);
    }
    event.payloadVersion = static_cast<int>(s.int64(6));
    event.createdAtMs = s.int64(7);
    events.push_back(std::move(event));
  }
}

Status recordAnswers(Database& db, const std::vector<EventAck>& acks) {
  auto mark = db.prepare(
      "UPDATE outbox SET pushed_at = ?, outcome = ?, outcome_reason = ? WHERE seq = ? AND pushed_at IS NULL");
  if (!mark) {
    return mark.error();
  }
  const std::int64_t now = db.nowMs();
  for (const EventAck& ack : acks) {
    (*mark)->bind(1, now).bind(2, toString(ack.outcome)).bindOptional(3, ack.reason).bind(4, ack.seq);
    if (Status marked = (*mark)->run(); !marked) {
      return marked;
    }
    (*mark)->reset();
  }
  auto counted = db.prepare("UPDATE sync_state SET pushed = pushed + ?, last_contact = ? WHERE id = 1");
  if (!counted) {
    return counted.error();
  }
  (*counted)->bind(1, static_cast<std::int64_t>(acks.size())).bind(2, now);
  return (*counted)->run();
}

// Marks events [from, to) unpushed: the shared side lacks them.
Result<std::int64_t> sendAgain(Database& db, std::int64_t from, std::int64_t to) {
  auto unmark = db.prepare(
      "UPDATE outbox SET pushed_at = NULL, outcome = NULL, outcome_reason = NULL WHERE seq >= ? AND seq < ?");
  if (!unmark) {
    return unmark.error();
  }
  (*unmark)->bind(1, from).bind(2, to);
  if (Status done = (*unmark)->run(); !done) {
    return done.error();
  }
  return static_cast<std::int64_t>(db.changes());
}

Result<std::int64_t> feedPosition(store::LocalStore& local) {
  auto db = local.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto position = store::selectOne(
      **db, "SELECT feed_position FROM sync_state WHERE id = 1", [](const Statement& row) { return row.int64(0); });
  if (!position) {
    return position.error();
  }
  if (!*position) {
    return makeError(ErrorCode::NotFound, "this database has not joined a shared database (`opflow-cli shared init`)");
  }
  return **position;
}

std::string changeText(const Json& change, const char* key) {
  auto found = change.find(key);
  return found != change.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// A conflict or refusal of this workstation's change, listed for a person, and the run
// that made it marked conflicted. Audited ("sync.conflict", by the sync) when first listed.
Status listConflict(Database& db, const FeedEvent& item, const std::optional<std::int64_t>& sharedVersion,
                    const store::OrderActor& sync) {
  const Json& payload = item.event.payload;
  const Json change = payload.is_object() ? payload.value("change", Json::object()) : Json::object();
  const std::string runId = changeText(change, "run_id");
  auto insert = db.prepare(
      "INSERT INTO sync_conflicts (event_id, outcome, kind, subject, run_id, local_version, shared_version, reason, "
      "change, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING");
  if (!insert) {
    return insert.error();
  }
  Statement& statement = **insert;
  statement.bind(1, item.event.id).bind(2, toString(item.outcome)).bind(3, item.event.kind);
  statement.bind(4, item.event.subjectId).bindOptional(5, runId);
  if (item.event.baseVersion) {
    statement.bind(6, *item.event.baseVersion);
  } else {
    statement.bindNull(6);
  }
  if (sharedVersion) {
    statement.bind(7, *sharedVersion);
  } else {
    statement.bindNull(7);
  }
  statement.bind(8, item.reason).bind(9, item.event.payload.dump(-1, ' ', false, Json::error_handler_t::replace));
  statement.bind(10, db.nowMs());
  if (Status listed = statement.run(); !listed || db.changes() == 0) {
    return listed; // listed before (a feed read again): audited then
  }
  if (!runId.empty()) {
    auto mark = db.prepare("UPDATE runs SET conflicted_at = ? WHERE id = ? AND conflicted_at IS NULL");
    if (!mark) {
      return mark.error();
    }
    (*mark)->bind(1, db.nowMs()).bind(2, runId);
    if (Status marked = (*mark)->run(); !marked) {
      return marked;
    }
  }
  // The change that did not count, in the audit trail of what it concerns.
  const bool order = item.event.kind == "order.changed";
  store::AuditEntry entry = store::takenStateEntry(
      sync, {"sync.conflict", item.event.id, item.event.workstation, "", item.reason}, subjectTypeOf(item.event.kind),
      item.event.subjectId);
  entry.orderNumber = order ? item.event.subjectId : std::string();
  entry.after = Json{{"event_id", item.event.id}, {"outcome", toString(item.outcome)}, {"kind", item.event.kind},
                     {"change", change}};
  if (order) {
    entry.after["local_version"] = item.event.baseVersion ? Json(*item.event.baseVersion) : Json(nullptr);
    entry.after["shared_version"] = sharedVersion ? Json(*sharedVersion) : Json(nullptr);
  }
  if (!runId.empty()) {
    entry.after["run_id"] = runId;
  }
  return store::appendAudit(db, entry);
}

using SharedStates = std::map<std::string, std::optional<SharedOrder>>;

// Whether a change of this kind that the shared side did not apply is listed for a person
// to resolve: changes of orders, users, settings and definitions. A refused audit entry
// is not: the chain is broken from there on, every later entry is refused too (listing
// each would write another audit entry, refused in turn), and `audit verify --shared`
// names the break.
bool isResolvable(std::string_view kind) {
  return kind == "order.changed" || kind == "user.changed" || kind == "setting.changed" ||
         kind == "definition.loaded";
}

// What this build cannot read of an applied event stops the feed there, so it is taken
// once the build can, never skipped.
Error unreadable(const FeedEvent& item, const std::string& why) {
  return makeError(ErrorCode::Conflict, fmt::format("event {} of the shared feed cannot be read by this build ({}): "
                                                    "update opflow",
                                                    item.event.id, why));
}

// Takes another workstation's applied change of an order, a user, a setting or a
// definition (false when this database has that state already; events of other kinds
// carry nothing to take).
Result<bool> takeOthersChange(Database& db, const FeedEvent& item, const store::OrderActor& sync) {
  const Json change = item.event.payload.value("change", Json::object());
  const std::string& kind = item.event.kind;
  const char* action = kind == "order.changed"       ? "order.pulled"
                       : kind == "user.changed"      ? "user.pulled"
                       : kind == "setting.changed"   ? "settings.pulled"
                       : kind == "definition.loaded" ? "definition.pulled"
                                                     : nullptr;
  if (action == nullptr) {
    return false;
  }
  const store::SharedOrderOrigin origin{action, item.event.id, item.event.workstation, changeText(change, "user"),
                                        fmt::format("{} by {} at {}", changeText(change, "action"),
                                                    changeText(change, "user"), item.event.workstation)};
  if (kind == "order.changed") {
    auto order = store::orderFromJson(item.event.payload.value("order", Json()));
    if (!order) {
      return unreadable(item, order.error().message);
    }
    return store::takeSharedOrder(db, *order, origin, sync, store::SharedTake::Later);
  }
  if (kind == "user.changed") {
    auto user = store::sharedUserFromJson(item.event.payload.value("user", Json()));
    if (!user) {
      return unreadable(item, user.error().message);
    }
    return store::takeSharedUser(db, *user, origin, sync);
  }
  if (kind == "definition.loaded") {
    auto taken = store::takeSharedDefinition(db, item.event.payload.value("definition", Json()), origin, sync);
    if (!taken && taken.error().code == ErrorCode::InvalidArgument) {
      return unreadable(item, taken.error().message);
    }
    return taken;
  }
  return store::takeSharedSetting(db, item.event.subjectId, item.event.payload.value("value", Json()), origin, sync);
}

// A failure of the shared database (an Io error there) is Unavailable: the workstation
// is offline, nothing is lost. A failure here keeps its own code.
Error unavailable(const SharedDatabase& shared, const Error& error) {
  if (error.code != ErrorCode::Io) {
    return error;
  }
  return makeError(ErrorCode::Unavailable, fmt::format("the shared database {}: {}", shared.describe(), error.message));
}

// How many events of this database wait to go up.
Result<std::int64_t> waitingToGoUp(store::LocalStore& local) {
  auto db = local.readers().acquire();
  if (!db) {
    return db.error();
  }
  return store::pendingOutboxCount(**db);
}

} // namespace

void SyncReport::add(const SyncReport& other) {
  pushed += other.pushed;
  duplicates += other.duplicates;
  resent += other.resent;
  pulled += other.pulled;
  conflicts += other.conflicts;
  refused += other.refused;
  manyOrdersChanged = manyOrdersChanged || other.manyOrdersChanged;
  for (const std::string& number : other.ordersChanged) {
    if (manyOrdersChanged || ordersChanged.size() >= kOrdersChangedKept) {
      manyOrdersChanged = true;
      ordersChanged.clear();
      break;
    }
    ordersChanged.insert(number);
  }
}

Synchronizer::Synchronizer(store::LocalStore& local, SharedDatabase& shared, std::string workstation, SyncLimits limits)
    : m_local(local), m_shared(shared), m_workstation(std::move(workstation)), m_limits(limits) {}

Status Synchronizer::pushBatch(SyncReport& report, bool& drained) {
  auto pending = pendingEvents(m_local, m_workstation, m_limits.pushBatch);
  if (!pending) {
    return pending.error();
  }
  drained = pending->empty();
  if (drained) {
    return {};
  }
  auto answer = m_shared.push(m_workstation, *pending);
  if (!answer) {
    return unavailable(m_shared, answer.error());
  }
  for (const EventAck& ack : answer->acks) {
    if (ack.duplicate && ack.outcome == EventOutcome::Refused) {
      // An event of this name and sequence with other content: not this database's.
      return makeError(ErrorCode::Conflict, fmt::format("{}: is another database joined under the name \"{}\"?",
                                                        ack.reason, m_workstation));
    }
  }
  const std::vector<EventAck>& acks = answer->acks;
  std::int64_t resent = 0;
  Status recorded = m_local.writer().execute([&](Database& db) -> Status {
    if (Status answered = recordAnswers(db, acks); !answered) {
      return answered;
    }
    if (acks.size() == pending->size()) {
      return {};
    }
    // The shared side stopped short of the batch: where it stands decides what follows.
    const std::int64_t next = (*pending)[acks.size()].seq;
    if (answer->expectedSeq < next) {
      auto again = sendAgain(db, answer->expectedSeq, next);
      if (!again) {
        return again.error();
      }
      resent = *again;
      return {};
    }
    return makeError(ErrorCode::Conflict,
                     fmt::format("the shared database {} already has events {} to {} of workstation \"{}\", which "
                                 "this database did not send: is another database joined under the same name?",
                                 m_shared.describe(), next, answer->expectedSeq - 1, m_workstation));
  });
  if (!recorded) {
    return recorded;
  }
  for (const EventAck& ack : acks) {
    ++report.pushed;
    report.duplicates += ack.duplicate ? 1 : 0;
    report.refused += ack.outcome == EventOutcome::Refused ? 1 : 0;
  }
  report.resent += resent;
  if (acks.empty() && resent == 0) {
    return makeError(ErrorCode::Internal, "the shared database took nothing of a batch and asked for nothing again");
  }
  return {};
}

Status Synchronizer::pullPage(SyncReport& report, bool& drained) {
  auto position = feedPosition(m_local);
  if (!position) {
    return position.error();
  }
  auto page = m_shared.feed(*position, m_limits.pullPage);
  if (!page) {
    return unavailable(m_shared, page.error());
  }
  drained = page->events.empty();
  // The shared state of each order this workstation's change did not reach, read before
  // the local transaction (which never waits on the shared database).
  SharedStates shared;
  for (const FeedEvent& item : page->events) {
    if (item.event.workstation == m_workstation && item.event.kind == "order.changed" &&
        item.outcome != EventOutcome::Applied && !shared.contains(item.event.subjectId)) {
      auto state = m_shared.order(item.event.subjectId);
      if (!state) {
        return unavailable(m_shared, state.error());
      }
      shared.emplace(item.event.subjectId, std::move(*state));
    }
  }
  std::int64_t pulled = 0;
  std::int64_t conflicts = 0;
  SyncReport changes;
  Status applied = m_local.writer().execute([&](Database& db) -> Status {
    for (const FeedEvent& item : page->events) {
      // A refused event from another workstation may carry anything: read only objects.
      const Json& payload = item.event.payload;
      const Json change = payload.is_object() ? payload.value("change", Json::object()) : Json::object();
      const store::OrderActor sync{"sync", "system", m_workstation, changeText(change, "correlation_id"), ""};
      if (item.event.workstation != m_workstation) {
        if (item.outcome == EventOutcome::Applied) {
          auto taken = takeOthersChange(db, item, sync);
          if (!taken) {
            return taken.error();
          }
          pulled += *taken ? 1 : 0;
          if (*taken && item.event.kind == "order.changed") {
            changes.ordersChanged.insert(item.event.subjectId);
          }
        }
        continue;
      }
      if (item.outcome == EventOutcome::Applied || !isResolvable(item.event.kind)) {
        continue; // a refused audit entry or run summary is counted (`sync` exits 3), not resolved
      }
      std::optional<std::int64_t> sharedVersion;
      FeedEvent listed = item;
      if (item.event.kind == "order.changed") {
        if (const auto& state = shared.at(item.event.subjectId)) {
          sharedVersion = state->version;
          listed.reason = fmt::format("{}; the shop's state of it came from workstation \"{}\"", item.reason,
                                      state->workstation);
          if (auto order = store::orderFromJson(state->record)) {
            // The state taken is the shared event's: the next change here is made on it.
            auto taken = store::takeSharedOrder(
                db, *order, {"order.conflicted", state->eventId, state->workstation, "", item.reason}, sync,
                store::SharedTake::Any);
            if (!taken) {
              return taken.error();
            }
            changes.ordersChanged.insert(item.event.subjectId);
          }
        }
      }
      if (Status kept = listConflict(db, listed, sharedVersion, sync); !kept) {
        return kept;
      }
      ++conflicts;
    }
    auto advance = db.prepare(
        "UPDATE sync_state SET feed_position = ?, feed_event_id = coalesce(?, feed_event_id), pulled = pulled + ?, "
        "last_contact = ? WHERE id = 1 AND feed_position = ?");
    if (!advance) {
      return advance.error();
    }
    (*advance)->bind(1, page->cursor).bindOptional(2, page->events.empty() ? "" : page->events.back().event.id);
    (*advance)->bind(3, pulled).bind(4, db.nowMs()).bind(5, *position);
    if (Status moved = (*advance)->run(); !moved) {
      return moved;
    }
    if (db.changes() != 1) {
      return makeError(ErrorCode::Conflict, "another sync of this database moved its feed position meanwhile");
    }
    return {};
  });
  if (!applied) {
    return applied;
  }
  changes.pulled = pulled;
  changes.conflicts = conflicts;
  report.add(changes);
  return {};
}

Result<bool> Synchronizer::takeCurrentOrder(const std::string& number) {
  auto state = m_shared.order(number);
  if (!state) {
    return unavailable(m_shared, state.error());
  }
  if (!*state) {
    return false; // not in the shop yet: made here, on its way up
  }
  auto order = store::orderFromJson((*state)->record);
  if (!order) {
    return makeError(ErrorCode::Conflict, fmt::format("the shop's order {} cannot be read by this build ({}): update "
                                                      "opflow",
                                                      number, order.error().message));
  }
  bool taken = false;
  Status done = m_local.writer().execute([&](Database& db) -> Status {
    auto waiting = store::selectOne(
        db, "SELECT count(*) FROM outbox WHERE kind = 'order.changed' AND subject_id = ? AND pushed_at IS NULL",
        [](const Statement& row) { return row.int64(0); }, order->number);
    if (!waiting) {
      return waiting.error();
    }
    if (**waiting > 0) {
      return {}; // this workstation's change goes up first; the shop answers it
    }
    const store::OrderActor sync{"sync", "system", m_workstation, "", ""};
    auto took = store::takeSharedOrder(
        db, *order,
        {"order.pulled", (*state)->eventId, (*state)->workstation, "",
         "the shop's state, read before an operation on the order"},
        sync, store::SharedTake::Later);
    if (!took) {
      return took.error();
    }
    taken = *took;
    return {};
  });
  if (!done) {
    return done.error();
  }
  return taken;
}

Status Synchronizer::meetSharedSequence(SyncReport& report) {
  auto expected = m_shared.expectedSeq(m_workstation);
  if (!expected) {
    return unavailable(m_shared, expected.error());
  }
  return m_local.writer().execute([&](Database& db) -> Status {
    auto ends = store::selectOne(
        db, "SELECT coalesce(max(seq), 0), coalesce(max(CASE WHEN pushed_at IS NOT NULL THEN seq END), 0) FROM outbox",
        [](const Statement& row) { return std::pair{row.int64(0), row.int64(1)}; });
    if (!ends) {
      return ends.error();
    }
    const auto [written, pushed] = **ends;
    if (*expected - 1 > written) {
      return makeError(ErrorCode::Conflict,
                       fmt::format("the shared database {} has {} events of workstation \"{}\", more than the {} this "
                                   "database wrote: is another database joined under the same name?",
                                   m_shared.describe(), *expected - 1, m_workstation, written));
    }
    if (*expected - 1 < pushed) {
      // It lacks what this database marked pushed: restored from a backup, or replaced.
      auto again = sendAgain(db, *expected, pushed + 1);
      if (!again) {
        return again.error();
      }
      report.resent += *again;
    }
    return {};
  });
}

Result<SyncReport> Synchronizer::push() {
  SyncReport report;
  if (Status met = meetSharedSequence(report); !met) {
    return met.error();
  }
  for (bool drained = false; !drained;) {
    const std::int64_t resentBefore = report.resent;
    const std::int64_t pushedBefore = report.pushed;
    if (Status pushed = pushBatch(report, drained); !pushed) {
      return pushed.error();
    }
    if (report.resent > resentBefore && report.pushed == pushedBefore && resentBefore > 0) {
      return makeError(ErrorCode::Internal, "the shared database asks for the same events again and takes none");
    }
  }
  return report;
}

Status Synchronizer::checkFeedPosition() {
  auto identity = m_shared.identity();
  if (!identity) {
    return unavailable(m_shared, identity.error());
  }
  auto reader = m_local.readers().acquire();
  if (!reader) {
    return reader.error();
  }
  auto known = store::selectOne(
      **reader, "SELECT epoch, feed_position, coalesce(feed_event_id, '') FROM sync_state",
      [](const Statement& row) { return std::tuple{row.text(0), row.int64(1), row.text(2)}; });
  if (!known || !*known) {
    return known ? makeError(ErrorCode::NotFound, "this database has not joined a shared database") : known.error();
  }
  const auto& [epoch, position, eventId] = **known;
  bool replaced = epoch != identity->epoch;
  if (!replaced && position > 0) {
    // The event read last must still be where it was: a shared file restored from a
    // backup takes the same positions again for other events.
    auto at = m_shared.feed(position - 1, 1);
    if (!at) {
      return unavailable(m_shared, at.error());
    }
    replaced = at->events.empty() || at->events.front().position != position ||
               (!eventId.empty() && at->events.front().event.id != eventId);
  }
  if (!replaced) {
    return {};
  }
  // Read the feed again from its start: a state taken twice is taken once.
  return m_local.writer().execute([&](Database& db) -> Status {
    auto reset = db.prepare(
        "UPDATE sync_state SET epoch = ?, feed_position = 0, feed_event_id = NULL WHERE id = 1");
    if (!reset) {
      return reset.error();
    }
    (*reset)->bind(1, identity->epoch);
    return (*reset)->run();
  });
}

Result<SyncReport> Synchronizer::pull() {
  SyncReport report;
  if (Status checked = checkFeedPosition(); !checked) {
    return checked.error();
  }
  for (bool drained = false; !drained;) {
    if (Status pulled = pullPage(report, drained); !pulled) {
      return pulled.error();
    }
  }
  return report;
}

Result<SyncReport> Synchronizer::pass() {
  if (Status numbers = keepNumbersInHand(m_local, m_shared, m_workstation); !numbers) {
    return unavailable(m_shared, numbers.error());
  }
  auto pushed = push();
  if (!pushed) {
    return pushed.error();
  }
  auto pulled = pull();
  if (!pulled) {
    return pulled.error();
  }
  SyncReport report = std::move(pushed).value();
  report.add(*pulled);
  return report;
}

Result<SyncReport> Synchronizer::once() {
  SyncReport report;
  // Taking others' changes writes audit entries of this workstation's own, which go up in
  // turn: the round ends when a pull brings nothing new.
  while (true) {
    auto passed = pass();
    if (!passed) {
      return passed.error();
    }
    report.add(*passed);
    if (passed->pulled == 0 && passed->conflicts == 0) {
      return report;
    }
  }
}

Result<bool> Synchronizer::waitForWork(std::chrono::milliseconds timeout, const std::function<bool()>& stopRequested) {
  // A look at each side every few milliseconds: a change made here goes up, and news
  // there comes down, well within a frame of the console.
  constexpr std::chrono::milliseconds kLook{10};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!stopRequested()) {
    auto pending = waitingToGoUp(m_local);
    if (!pending) {
      return pending.error();
    }
    if (*pending > 0) {
      return true;
    }
    auto news = m_shared.waitForChange(kLook);
    if (!news) {
      return unavailable(m_shared, news.error());
    }
    if (*news) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
  }
  return false;
}

} // namespace opflow::sync
