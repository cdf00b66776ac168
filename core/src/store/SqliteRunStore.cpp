#include "opflow/store/SqliteRunStore.h"

#include "opflow/store/AuditLog.h"
#include "opflow/store/Outbox.h"

#include <fmt/format.h>

#include <memory>

namespace opflow::store {

using engine::ChangeKind;
using engine::RunChange;
using engine::RunRecord;
using engine::RunState;
using engine::StepRecord;

std::int64_t toMs(engine::TimePoint at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

engine::TimePoint fromMs(std::int64_t ms) {
  return engine::TimePoint(std::chrono::duration_cast<engine::TimePoint::duration>(std::chrono::milliseconds(ms)));
}

std::optional<RunState> runStateFromString(std::string_view text) {
  for (RunState state : {RunState::Running, RunState::Waiting, RunState::Completed, RunState::Failed,
                         RunState::Cancelled, RunState::Interrupted}) {
    if (text == engine::toString(state)) {
      return state;
    }
  }
  return std::nullopt;
}

namespace {

constexpr const char* kRunColumns =
    "id, parent_id, operation, version, content_hash, state, node, inputs, data, outputs, user, role, "
    "workstation, correlation_id, created_at, updated_at, wake_at, awaited_signal, awaited_child, error, step_count";

// The columns of a run that change after its creation, serialised on the caller's thread.
struct RunUpdate {
  std::string id;
  std::string state;
  std::string node;
  std::string data;
  std::string outputs; // empty: NULL
  std::int64_t updatedAt = 0;
  std::optional<std::int64_t> wakeAt;
  std::string awaitedSignal;
  std::string awaitedChild;
  std::string error; // empty: NULL
  std::int64_t stepCount = 0;
};

RunUpdate updateOf(const RunRecord& run) {
  RunUpdate update;
  update.id = run.id.str();
  update.state = engine::toString(run.state);
  update.node = run.currentNode;
  update.data = run.data.dump();
  if (!run.outputs.is_null()) {
    update.outputs = run.outputs.dump();
  }
  update.updatedAt = toMs(run.updatedAt);
  if (run.wakeAt) {
    update.wakeAt = toMs(*run.wakeAt);
  }
  update.awaitedSignal = run.awaitedSignal;
  update.awaitedChild = run.awaitedChild.str();
  if (run.error) {
    update.error = run.error->toJson().dump();
  }
  update.stepCount = run.stepCount;
  return update;
}

std::string orderNumberOf(const Json& inputs) {
  auto found = inputs.find("order");
  if (found == inputs.end() || found->is_null()) {
    return {};
  }
  return found->is_string() ? found->get<std::string>() : found->dump();
}

// An audit entry about `run`, by the run's context unless `actor` says otherwise.
AuditEntry entryFor(const RunRecord& run, const std::string& orderNumber, const engine::Actor& actor,
                    std::string action) {
  AuditEntry entry;
  if (actor.empty()) {
    entry.user = run.context.user;
    entry.role = run.context.role;
    entry.workstation = run.context.workstation;
  } else {
    entry.user = actor.user;
    entry.role = actor.role;
    entry.workstation = actor.workstation.empty() ? run.context.workstation : actor.workstation;
  }
  entry.correlationId = run.context.correlationId;
  entry.action = std::move(action);
  entry.subjectType = "run";
  entry.subjectId = run.id.str();
  entry.orderNumber = orderNumber;
  entry.atMs = toMs(run.updatedAt);
  return entry;
}

// The audit entry of a refusal, by `by` (empty: the context's person): who, where, which
// order and why; the caller names the action, subject and what it records.
AuditEntry refusalOf(const engine::RunContext& context, const engine::Actor& by, const Json& inputs,
                     const Error& error, engine::TimePoint at) {
  AuditEntry entry;
  entry.user = by.empty() ? context.user : by.user;
  entry.role = by.empty() ? context.role : by.role;
  entry.workstation = by.workstation.empty() ? context.workstation : by.workstation;
  entry.correlationId = context.correlationId;
  entry.orderNumber = inputs.is_object() ? orderNumberOf(inputs) : std::string();
  entry.atMs = toMs(at);
  entry.reason = error.describe();
  return entry;
}

Json wakeJson(const RunRecord& run) { return run.wakeAt ? Json(toMs(*run.wakeAt)) : Json(nullptr); }

// The audit entries of one change, in the order they happened.
std::vector<AuditEntry> auditOf(const RunRecord& run, const StepRecord* step, const RunChange& change) {
  std::vector<AuditEntry> entries;
  std::string order = orderNumberOf(run.inputs);
  switch (change.kind) {
  case ChangeKind::Signalled: {
    AuditEntry entry = entryFor(run, order, change.actor, "run.signal");
    entry.after = Json{{"signal", change.signal}, {"payload", change.payload}};
    entries.push_back(std::move(entry));
    break;
  }
  case ChangeKind::Decided: {
    AuditEntry entry = entryFor(run, order, change.actor, "run.decision");
    entry.before = Json{{"state", "interrupted"}, {"node", step ? step->node : run.currentNode}};
    entry.after = Json{{"decision", engine::toString(change.decision)}};
    if (change.decision == engine::DecisionKind::Skip) {
      entry.after["node"] = change.target;
    }
    entries.push_back(std::move(entry));
    break;
  }
  case ChangeKind::Interrupted: {
    AuditEntry entry = entryFor(run, order, {}, "run.interrupted");
    entry.before = Json{{"state", "running"}, {"node", run.currentNode}};
    entry.after = Json{{"state", "interrupted"}};
    entry.reason = fmt::format("the work stopped inside the non-idempotent node \"{}\": a supervisor decides "
                               "whether to retry, skip or fail",
                               run.currentNode);
    entries.push_back(std::move(entry));
    break;
  }
  default: break;
  }
  if (step) {
    AuditEntry entry = entryFor(run, order, {}, "run.step");
    entry.before = Json{{"node", step->node}};
    entry.after = Json{{"node", run.currentNode}, {"exit", step->exit}, {"duration_us", step->durationUs}};
    if (step->retry) {
      entry.after["retry"] = true;
    }
    entry.reason = step->error;
    entries.push_back(std::move(entry));
  }
  if (change.kind == ChangeKind::Parked && run.state == RunState::Waiting) {
    AuditEntry entry = entryFor(run, order, {}, "run.waiting");
    entry.after = Json{{"node", run.currentNode}, {"signal", run.awaitedSignal}, {"wake_at", wakeJson(run)}};
    if (!run.awaitedChild.empty()) {
      entry.after["child"] = run.awaitedChild.str();
    }
    entries.push_back(std::move(entry));
  }
  if (engine::isTerminal(run.state)) {
    const char* action = run.state == RunState::Completed ? "run.completed"
                         : run.state == RunState::Failed  ? "run.failed"
                                                          : "run.cancelled";
    AuditEntry entry =
        entryFor(run, order, run.state == RunState::Cancelled ? change.actor : engine::Actor{}, action);
    entry.after = Json{{"state", engine::toString(run.state)}, {"node", run.currentNode}};
    if (run.state == RunState::Completed) {
      entry.after["outputs"] = run.outputs;
    }
    if (run.error) {
      entry.after["error"] = run.error->toJson();
      entry.reason = run.error->describe();
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::optional<OutboxEvent> summaryOf(const RunRecord& run) {
  if (!engine::isTerminal(run.state)) {
    return std::nullopt;
  }
  Json payload{{"run_id", run.id.str()},
               {"parent_id", run.parentId.empty() ? Json(nullptr) : Json(run.parentId.str())},
               {"operation", run.operation},
               {"version", run.version},
               {"content_hash", run.contentHash},
               {"state", engine::toString(run.state)},
               {"node", run.currentNode},
               {"order_number", orderNumberOf(run.inputs)},
               {"correlation_id", run.context.correlationId},
               {"user", run.context.user},
               {"workstation", run.context.workstation},
               {"created_at", toMs(run.createdAt)},
               {"ended_at", toMs(run.updatedAt)},
               {"steps", run.stepCount},
               {"outputs", run.outputs},
               {"error", run.error ? run.error->toJson() : Json(nullptr)}};
  return OutboxEvent{{}, "run.summary", run.id.str(), std::nullopt, std::move(payload)};
}

// One change, ready for the writer thread: nothing left to serialise but the audit hash.
struct ChangeUnit {
  std::optional<RunUpdate> update;
  std::optional<StepRecord> step;
  std::vector<AuditEntry> audit;
  std::optional<OutboxEvent> summary;
};

Status writeUpdate(Database& db, const RunUpdate& update) {
  auto statement = db.prepare(
      "UPDATE runs SET state = ?2, node = ?3, data = ?4, outputs = ?5, updated_at = ?6, wake_at = ?7, "
      "awaited_signal = ?8, awaited_child = ?9, error = ?10, step_count = ?11 WHERE id = ?1");
  if (!statement) {
    return statement.error();
  }
  Statement& s = **statement;
  s.bind(1, update.id).bind(2, update.state).bind(3, update.node).bind(4, update.data).bindOptional(5, update.outputs);
  s.bind(6, update.updatedAt);
  if (update.wakeAt) {
    s.bind(7, *update.wakeAt);
  } else {
    s.bindNull(7);
  }
  s.bindOptional(8, update.awaitedSignal).bindOptional(9, update.awaitedChild).bindOptional(10, update.error);
  s.bind(11, update.stepCount);
  if (Status done = s.run(); !done) {
    return done;
  }
  if (db.changes() != 1) {
    return makeError(ErrorCode::NotFound, fmt::format("run {} is not in the store", update.id));
  }
  return {};
}

Status writeStep(Database& db, const StepRecord& step) {
  auto statement = db.prepare("INSERT INTO steps (run_id, idx, node, kind, exit, started_at, duration_us, error, retry) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!statement) {
    return statement.error();
  }
  Statement& s = **statement;
  s.bind(1, step.runId.str()).bind(2, step.index).bind(3, step.node).bind(4, model::toString(step.kind));
  s.bind(5, step.exit).bind(6, toMs(step.startedAt)).bind(7, step.durationUs).bindOptional(8, step.error);
  s.bind(9, step.retry ? 1 : 0);
  return s.run();
}

Status writeUnit(Database& db, ChangeUnit& unit) {
  if (unit.update) {
    if (Status done = writeUpdate(db, *unit.update); !done) {
      return done;
    }
  }
  if (unit.step) {
    if (Status done = writeStep(db, *unit.step); !done) {
      return done;
    }
  }
  for (AuditEntry& entry : unit.audit) {
    if (Status done = appendAudit(db, entry); !done) {
      return done;
    }
  }
  if (unit.summary) {
    if (Status done = appendOutbox(db, *unit.summary); !done) {
      return done;
    }
  }
  return {};
}

Json parseColumn(const Statement& s, int column) {
  if (s.isNull(column)) {
    return nullptr;
  }
  Json value = Json::parse(s.textView(column), nullptr, false);
  return value.is_discarded() ? Json(nullptr) : value;
}

RunRecord readRun(const Statement& s) {
  RunRecord run;
  run.id = engine::RunId(s.text(0));
  run.parentId = engine::RunId(s.text(1));
  run.operation = s.text(2);
  run.version = s.int64(3);
  run.contentHash = s.text(4);
  run.state = runStateFromString(s.textView(5)).value_or(RunState::Failed);
  run.currentNode = s.text(6);
  run.inputs = parseColumn(s, 7);
  run.data = parseColumn(s, 8);
  run.outputs = parseColumn(s, 9);
  run.context.user = s.text(10);
  run.context.role = s.text(11);
  run.context.workstation = s.text(12);
  run.context.correlationId = s.text(13);
  run.context.runId = run.id;
  run.context.parentRunId = run.parentId;
  run.createdAt = fromMs(s.int64(14));
  run.updatedAt = fromMs(s.int64(15));
  if (!s.isNull(16)) {
    run.wakeAt = fromMs(s.int64(16));
  }
  run.awaitedSignal = s.text(17);
  run.awaitedChild = engine::RunId(s.text(18));
  if (Json error = parseColumn(s, 19); error.is_object()) {
    run.error = engine::RunError{error.value("code", ""), error.value("message", ""),
                                 error.value("path", std::vector<std::string>{})};
  }
  run.stepCount = s.int64(20);
  return run;
}

} // namespace

SqliteRunStore::~SqliteRunStore() {
  if (m_posted.load(std::memory_order_acquire) != 0) {
    static_cast<void>(m_store.writer().flush());
  }
}

void SqliteRunStore::post(StoreWriter::Work work) {
  m_posted.fetch_add(1, std::memory_order_acq_rel);
  m_store.writer().post(std::move(work), [this](const Error& error) {
    std::lock_guard lock(m_failureMutex);
    if (!m_firstFailure) {
      m_firstFailure = error;
    }
  });
}

void SqliteRunStore::readBarrier() const {
  std::uint64_t posted = m_posted.load(std::memory_order_acquire);
  if (posted == m_committed.load(std::memory_order_acquire)) {
    return;
  }
  static_cast<void>(m_store.writer().flush());
  // Everything posted before `posted` was read is committed now (the writer keeps order).
  std::uint64_t committed = m_committed.load(std::memory_order_acquire);
  while (committed < posted && !m_committed.compare_exchange_weak(committed, posted, std::memory_order_acq_rel)) {
  }
}

Status SqliteRunStore::flush() {
  readBarrier();
  Status flushed = m_store.writer().flush();
  std::lock_guard lock(m_failureMutex);
  if (m_firstFailure) {
    Error first = std::move(*m_firstFailure);
    m_firstFailure.reset();
    return first;
  }
  return flushed;
}

Status SqliteRunStore::runCreated(const RunRecord& run) {
  struct Created {
    std::string id, parentId, operation, contentHash, state, node, inputs, data, context, user, role, workstation,
        correlationId, orderNumber, awaitedSignal, awaitedChild;
    std::int64_t version, createdAt, updatedAt, stepCount;
    ChangeUnit unit;
  };
  auto created = std::make_shared<Created>();
  Created& c = *created;
  c.id = run.id.str();
  c.parentId = run.parentId.str();
  c.operation = run.operation;
  c.contentHash = run.contentHash;
  c.state = engine::toString(run.state);
  c.node = run.currentNode;
  c.inputs = run.inputs.dump();
  c.data = run.data.dump();
  c.context = run.context.toJson().dump();
  c.user = run.context.user;
  c.role = run.context.role;
  c.workstation = run.context.workstation;
  c.correlationId = run.context.correlationId;
  c.orderNumber = orderNumberOf(run.inputs);
  c.version = run.version;
  c.createdAt = toMs(run.createdAt);
  c.updatedAt = toMs(run.updatedAt);
  c.stepCount = run.stepCount;
  AuditEntry entry = entryFor(run, c.orderNumber, {}, "run.started");
  entry.atMs = c.createdAt;
  entry.after = Json{{"operation", run.operation},
                     {"version", run.version},
                     {"content_hash", run.contentHash},
                     {"inputs", run.inputs}};
  if (!run.parentId.empty()) {
    entry.after["parent_id"] = run.parentId.str();
  }
  c.unit.audit.push_back(std::move(entry));
  post([created](Database& db) -> Status {
    const Created& row = *created;
    auto statement = db.prepare(
        "INSERT INTO runs (id, parent_id, operation, version, content_hash, state, node, inputs, data, context, user, "
        "role, workstation, correlation_id, order_number, created_at, updated_at, step_count) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!statement) {
      return statement.error();
    }
    Statement& s = **statement;
    s.bind(1, row.id).bindOptional(2, row.parentId).bind(3, row.operation).bind(4, row.version).bind(5, row.contentHash);
    s.bind(6, row.state).bind(7, row.node).bind(8, row.inputs).bind(9, row.data).bind(10, row.context).bind(11, row.user);
    s.bind(12, row.role).bind(13, row.workstation).bind(14, row.correlationId).bindOptional(15, row.orderNumber);
    s.bind(16, row.createdAt).bind(17, row.updatedAt).bind(18, row.stepCount);
    if (Status done = s.run(); !done) {
      return done;
    }
    return writeUnit(db, created->unit);
  });
  return {};
}

Status SqliteRunStore::startRejected(const engine::RejectedStart& rejected) {
  AuditEntry entry = refusalOf(rejected.context, {}, rejected.inputs, rejected.error, rejected.at);
  entry.action = "run.refused";
  entry.subjectType = "operation";
  entry.subjectId = rejected.operation;
  entry.after = Json{{"inputs", rejected.inputs}, {"code", toString(rejected.error.code)}};
  postAudit(std::move(entry));
  return {};
}

Status SqliteRunStore::actionRefused(const engine::RefusedAction& refused) {
  AuditEntry entry = refusalOf(refused.context, refused.actor, refused.inputs, refused.error, refused.at);
  entry.action = fmt::format("run.{}_refused", refused.action);
  entry.subjectType = "run";
  entry.subjectId = refused.runId.str();
  entry.after = Json{{"operation", refused.operation}, {"code", toString(refused.error.code)}};
  postAudit(std::move(entry));
  return {};
}

void SqliteRunStore::postAudit(AuditEntry entry) {
  auto unit = std::make_shared<ChangeUnit>();
  unit->audit.push_back(std::move(entry));
  post([unit](Database& db) { return writeUnit(db, *unit); });
}

Status SqliteRunStore::stepFinished(const RunRecord& run, const StepRecord& step, const RunChange& change) {
  auto unit = std::make_shared<ChangeUnit>();
  unit->update = updateOf(run);
  unit->step = step;
  unit->audit = auditOf(run, &step, change);
  unit->summary = summaryOf(run);
  post([unit](Database& db) { return writeUnit(db, *unit); });
  return {};
}

Status SqliteRunStore::runUpdated(const RunRecord& run, const RunChange& change) {
  auto unit = std::make_shared<ChangeUnit>();
  unit->update = updateOf(run);
  unit->audit = auditOf(run, nullptr, change);
  unit->summary = summaryOf(run);
  post([unit](Database& db) { return writeUnit(db, *unit); });
  return {};
}

std::optional<RunRecord> SqliteRunStore::loadRun(const engine::RunId& id) const {
  readBarrier();
  auto reader = m_store.readers().acquire();
  if (!reader) {
    return std::nullopt;
  }
  auto statement = (*reader)->prepare(fmt::format("SELECT {} FROM runs WHERE id = ?", kRunColumns));
  if (!statement) {
    return std::nullopt;
  }
  (*statement)->bind(1, id.str());
  auto row = (*statement)->step();
  if (!row || !*row) {
    return std::nullopt;
  }
  return readRun(**statement);
}

std::vector<StepRecord> SqliteRunStore::loadSteps(const engine::RunId& id) const {
  readBarrier();
  std::vector<StepRecord> steps;
  auto reader = m_store.readers().acquire();
  if (!reader) {
    return steps;
  }
  auto statement = (*reader)->prepare("SELECT idx, node, kind, exit, started_at, duration_us, error, retry "
                                      "FROM steps WHERE run_id = ? ORDER BY idx");
  if (!statement) {
    return steps;
  }
  Statement& s = **statement;
  s.bind(1, id.str());
  while (true) {
    auto row = s.step();
    if (!row || !*row) {
      break;
    }
    StepRecord step;
    step.runId = id;
    step.index = s.int64(0);
    step.node = s.text(1);
    step.kind = model::nodeKindFromString(s.text(2)).value_or(model::NodeKind::Action);
    step.exit = s.text(3);
    step.startedAt = fromMs(s.int64(4));
    step.durationUs = s.int64(5);
    step.error = s.text(6);
    step.retry = s.int64(7) != 0;
    steps.push_back(std::move(step));
  }
  return steps;
}

std::vector<RunRecord> SqliteRunStore::loadUnfinished() const {
  readBarrier();
  std::vector<RunRecord> runs;
  auto reader = m_store.readers().acquire();
  if (!reader) {
    return runs;
  }
  auto statement = (*reader)->prepare(fmt::format(
      "SELECT {} FROM runs WHERE state IN ('running', 'waiting', 'interrupted') ORDER BY id", kRunColumns));
  if (!statement) {
    return runs;
  }
  while (true) {
    auto row = (*statement)->step();
    if (!row || !*row) {
      break;
    }
    runs.push_back(readRun(**statement));
  }
  return runs;
}

std::optional<std::int64_t> SqliteRunStore::typicalStepDurationUs(const std::string& operation,
                                                                 const std::string& node) const {
  auto reader = m_store.readers().acquire();
  if (!reader) {
    return std::nullopt;
  }
  auto statement = (*reader)->prepare(
      "SELECT s.duration_us FROM (SELECT id FROM runs WHERE operation = ?1 ORDER BY id DESC LIMIT ?3) AS recent "
      "JOIN steps AS s ON s.run_id = recent.id WHERE s.node = ?2 AND s.error IS NULL AND s.exit = '' "
      "ORDER BY recent.id DESC, s.idx DESC LIMIT ?4");
  if (!statement) {
    return std::nullopt;
  }
  Statement& s = **statement;
  s.bind(1, operation).bind(2, node).bind(3, kTypicalRunWindow);
  s.bind(4, static_cast<std::int64_t>(kTypicalSamples));
  std::vector<std::int64_t> durations;
  while (true) {
    auto row = s.step();
    if (!row || !*row) {
      break;
    }
    durations.push_back(s.int64(0));
  }
  return engine::medianDurationUs(std::move(durations));
}

Result<std::vector<RunSummary>> SqliteRunStore::listRuns(const RunQuery& query) const {
  readBarrier();
  auto reader = m_store.readers().acquire();
  if (!reader) {
    return reader.error();
  }
  constexpr const char* kFilter = "WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR operation = ?2) "
                                  "ORDER BY id DESC LIMIT ?3";
  // An order's runs come by runs_by_order and their sub-runs (at any depth, whatever
  // their inputs) by runs_by_parent, so a long run history is never scanned for them.
  auto statement = (*reader)->prepare(
      query.order.empty()
          ? fmt::format("SELECT id, parent_id, operation, version, state, node, created_at, updated_at, conflicted_at "
                        "FROM runs {}",
                        kFilter)
          : fmt::format("WITH RECURSIVE of_order(run_id) AS (SELECT id FROM runs WHERE order_number = ?4 "
                        "UNION SELECT runs.id FROM runs JOIN of_order ON runs.parent_id = of_order.run_id) "
                        "SELECT id, parent_id, operation, version, state, node, created_at, updated_at, "
                        "conflicted_at FROM of_order JOIN runs ON runs.id = of_order.run_id {}",
                        kFilter));
  if (!statement) {
    return statement.error();
  }
  Statement& s = **statement;
  if (query.state) {
    s.bind(1, engine::toString(*query.state));
  }
  s.bindOptional(2, query.operation);
  s.bind(3, query.limit == 0 ? std::int64_t{-1} : static_cast<std::int64_t>(query.limit));
  if (!query.order.empty()) {
    s.bind(4, query.order);
  }
  std::vector<RunSummary> runs;
  while (true) {
    auto row = s.step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      break;
    }
    RunSummary run;
    run.id = s.text(0);
    run.parentId = s.text(1);
    run.operation = s.text(2);
    run.version = s.int64(3);
    run.state = runStateFromString(s.textView(4)).value_or(RunState::Failed);
    run.node = s.text(5);
    run.createdAtMs = s.int64(6);
    run.updatedAtMs = s.int64(7);
    if (!s.isNull(8)) {
      run.conflictedAtMs = s.int64(8);
    }
    runs.push_back(std::move(run));
  }
  return runs;
}

Result<std::set<std::string>> SqliteRunStore::ordersWorkedBy(const std::string& operation) const {
  readBarrier();
  auto reader = m_store.readers().acquire();
  if (!reader) {
    return reader.error();
  }
  auto statement = (*reader)->prepare(
      "SELECT DISTINCT order_number FROM runs WHERE operation = ? AND parent_id IS NULL AND order_number IS NOT NULL");
  if (!statement) {
    return statement.error();
  }
  (*statement)->bind(1, operation);
  std::set<std::string> orders;
  while (true) {
    auto row = (*statement)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return orders;
    }
    orders.insert((*statement)->text(0));
  }
}

} // namespace opflow::store
