// exportTraces: the runs of the selected correlation ids are read by runs_by_correlation
// (a --since query first takes the correlation ids of the runs started since then by
// runs_by_created), then each run's steps by the steps primary key; nothing scans the
// journal. A wait step's signal comes from the run's definition, read once per version.
// What the trace's runs handed the sync (their order changes and run summaries in the
// outbox) is read by outbox_by_correlation; each becomes a span from when it was queued
// to when the shared database answered it, under the run that made it (on a workstation
// that has joined a shop).
#include "opflow/observe/Traces.h"

#include "opflow/model/DefinitionJson.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace opflow::observe {

namespace {

constexpr int kSpanKindInternal = 1;
constexpr int kSpanKindProducer = 4;
constexpr int kStatusOk = 1;
constexpr int kStatusError = 2;

struct RunRow {
  std::string id;
  std::string parentId;
  std::string operation;
  std::int64_t version = 0;
  std::string state;
  std::int64_t createdMs = 0;
  std::int64_t updatedMs = 0;
  std::string user;
  std::string role;
  std::string workstation;
  std::string correlationId;
  std::string orderNumber;
  std::string error;
};

struct StepRow {
  std::int64_t index = 0;
  std::string node;
  std::string kind;
  std::string exit;
  std::int64_t startedMs = 0;
  std::int64_t durationUs = 0;
  std::string error;
  bool retry = false;
};

// An outbox event of a trace: what the sync pushed (or is yet to push) to the shop.
struct PushRow {
  std::int64_t seq = 0;
  std::string kind;
  std::string subject;
  std::int64_t queuedMs = 0;
  std::optional<std::int64_t> answeredMs;
  std::string outcome; // applied, conflict, refused; "" while pending
  std::string reason;
  std::string runId;
  std::string workstation;
  std::string correlationId;
};

// The same expression as the index outbox_by_correlation, so that the read uses it.
constexpr const char* kPushesOfCorrelation =
    "SELECT seq, kind, subject_id, created_at, pushed_at, coalesce(outcome, ''), coalesce(outcome_reason, ''), "
    "coalesce(json_extract(payload, '$.change.run_id'), json_extract(payload, '$.run_id'), ''), "
    "coalesce(json_extract(payload, '$.change.workstation'), json_extract(payload, '$.workstation'), '') "
    "FROM outbox WHERE kind IN ('order.changed', 'run.summary') AND "
    "coalesce(json_extract(payload, '$.change.correlation_id'), json_extract(payload, '$.correlation_id')) = ?1 "
    "ORDER BY seq";

std::string hashHex(std::string_view text, std::size_t bytes) {
  static const bool initialised = sodium_init() >= 0;
  static_cast<void>(initialised);
  std::array<unsigned char, 16> digest{};
  crypto_generichash(digest.data(), bytes, reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr,
                     0);
  std::string hex(bytes * 2, '0');
  sodium_bin2hex(hex.data(), hex.size() + 1, digest.data(), bytes);
  return hex;
}

std::string nanos(std::int64_t ms) { return std::to_string(ms * 1'000'000); }

Json attribute(std::string_view key, std::string_view value) {
  return {{"key", key}, {"value", {{"stringValue", value}}}};
}

Json attribute(std::string_view key, std::int64_t value) {
  return {{"key", key}, {"value", {{"intValue", std::to_string(value)}}}};
}

Json attribute(std::string_view key, bool value) { return {{"key", key}, {"value", {{"boolValue", value}}}}; }

// A stored run error is RunError's JSON: its message is what a person reads.
std::string errorMessage(const std::string& stored) {
  if (stored.empty()) {
    return "";
  }
  Json parsed = Json::parse(stored, nullptr, false);
  if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string()) {
    return parsed["message"].get<std::string>();
  }
  return stored;
}

constexpr const char* kRunColumns = "id, parent_id, operation, version, state, created_at, updated_at, user, role, "
                                    "workstation, correlation_id, order_number, error";

RunRow runFrom(store::Statement& s) {
  return RunRow{s.text(0), s.text(1),  s.text(2),  s.int64(3),  s.text(4),  s.int64(5), s.int64(6),
                s.text(7), s.text(8), s.text(9), s.text(10), s.text(11), s.text(12)};
}

class TraceReader {
public:
  explicit TraceReader(store::Database& db) : m_db(db) {}

  Result<std::vector<std::string>> correlationIds(const TraceQuery& query) {
    if (!query.correlationId.empty()) {
      return std::vector<std::string>{query.correlationId};
    }
    if (!query.runId.empty()) {
      auto statement = m_db.prepare("SELECT correlation_id FROM runs WHERE id = ?1");
      if (!statement) {
        return statement.error();
      }
      (*statement)->bind(1, query.runId);
      auto row = (*statement)->step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return makeError(ErrorCode::NotFound, fmt::format("no run {} in this workstation's journal", query.runId));
      }
      return std::vector<std::string>{(*statement)->text(0)};
    }
    auto statement = m_db.prepare("SELECT DISTINCT correlation_id FROM runs WHERE created_at >= ?1");
    if (!statement) {
      return statement.error();
    }
    (*statement)->bind(1, *query.sinceMs);
    std::vector<std::string> ids;
    while (true) {
      auto row = (*statement)->step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return ids;
      }
      ids.push_back((*statement)->text(0));
    }
  }

  Result<std::vector<RunRow>> runsOf(const std::vector<std::string>& correlationIds, std::int64_t limit) {
    static const std::string kSql = fmt::format("SELECT {} FROM runs WHERE correlation_id = ?1 ORDER BY id", kRunColumns);
    auto statement = m_db.prepare(kSql);
    if (!statement) {
      return statement.error();
    }
    std::vector<RunRow> runs;
    for (const std::string& correlationId : correlationIds) {
      store::Statement& s = **statement;
      s.reset();
      s.bind(1, correlationId);
      while (true) {
        auto row = s.step();
        if (!row) {
          return row.error();
        }
        if (!*row) {
          break;
        }
        if (static_cast<std::int64_t>(runs.size()) >= limit) {
          return makeError(ErrorCode::InvalidArgument,
                           fmt::format("the selection holds more than {} runs: choose a later --since, or one "
                                       "run or correlation id",
                                       limit));
        }
        runs.push_back(runFrom(s));
      }
    }
    return runs;
  }

  Result<std::vector<StepRow>> stepsOf(const std::string& runId) {
    if (!m_steps) {
      auto statement = m_db.prepare("SELECT idx, node, kind, exit, started_at, duration_us, error, retry FROM steps "
                                    "WHERE run_id = ?1 ORDER BY idx");
      if (!statement) {
        return statement.error();
      }
      m_steps.emplace(std::move(statement).value());
    }
    store::Statement& s = **m_steps;
    s.reset();
    s.bind(1, runId);
    std::vector<StepRow> steps;
    while (true) {
      auto row = s.step();
      if (!row) {
        return row.error();
      }
      if (!*row) {
        return steps;
      }
      steps.push_back(StepRow{s.int64(0), s.text(1), s.text(2), s.text(3), s.int64(4), s.int64(5), s.text(6),
                              s.int64(7) != 0});
    }
  }

  // None for a workstation on its own: its outbox waits for a shop it may never join.
  Result<std::vector<PushRow>> pushesOf(const std::vector<std::string>& correlationIds) {
    std::vector<PushRow> pushes;
    auto joined = store::selectOne(m_db, "SELECT 1 FROM sync_state", [](const store::Statement&) { return true; });
    if (!joined) {
      return joined.error();
    }
    if (!*joined) {
      return pushes;
    }
    auto statement = m_db.prepare(kPushesOfCorrelation);
    if (!statement) {
      return statement.error();
    }
    store::Statement& s = **statement;
    for (const std::string& correlationId : correlationIds) {
      s.reset();
      s.bind(1, correlationId);
      while (true) {
        auto row = s.step();
        if (!row) {
          return row.error();
        }
        if (!*row) {
          break;
        }
        pushes.push_back(PushRow{s.int64(0), s.text(1), s.text(2), s.int64(3),
                                 s.isNull(4) ? std::nullopt : std::optional<std::int64_t>(s.int64(4)), s.text(5),
                                 s.text(6), s.text(7), s.text(8), correlationId});
      }
    }
    return pushes;
  }

  // The signal a wait node waits for ("" when the definition or node is not known here).
  std::string signalOf(const RunRow& run, const std::string& node) {
    auto key = std::make_pair(run.operation, run.version);
    auto found = m_definitions.find(key);
    if (found == m_definitions.end()) {
      found = m_definitions.emplace(key, loadDefinition(run.operation, run.version)).first;
    }
    if (!found->second) {
      return "";
    }
    for (const model::Node& candidate : found->second->nodes) {
      if (candidate.name == node) {
        if (const auto* wait = std::get_if<model::WaitNode>(&candidate.spec)) {
          return wait->signal;
        }
      }
    }
    return "";
  }

private:
  std::optional<model::OperationDefinition> loadDefinition(const std::string& name, std::int64_t version) {
    auto statement = m_db.prepare("SELECT body FROM definitions WHERE name = ?1 AND version = ?2");
    if (!statement) {
      return std::nullopt;
    }
    (*statement)->bind(1, name).bind(2, version);
    auto row = (*statement)->step();
    if (!row || !*row) {
      return std::nullopt;
    }
    auto definition = model::definitionFromText((*statement)->textView(0));
    if (!definition) {
      return std::nullopt;
    }
    return std::move(definition).value();
  }

  store::Database& m_db;
  std::optional<store::StatementLease> m_steps;
  std::map<std::pair<std::string, std::int64_t>, std::optional<model::OperationDefinition>> m_definitions;
};

Json status(const std::string& error) {
  if (error.empty()) {
    return {{"code", kStatusOk}};
  }
  return {{"code", kStatusError}, {"message", error}};
}

Json runSpan(const RunRow& run, const std::string& parentSpanId) {
  Json attributes = Json::array({attribute("opflow.run.id", run.id), attribute("opflow.operation", run.operation),
                                 attribute("opflow.operation.version", run.version),
                                 attribute("opflow.run.state", run.state),
                                 attribute("opflow.correlation_id", run.correlationId),
                                 attribute("enduser.id", run.user), attribute("enduser.role", run.role)});
  if (!run.orderNumber.empty()) {
    attributes.push_back(attribute("opflow.order_number", run.orderNumber));
  }
  Json span{{"traceId", traceIdOf(run.correlationId)},
            {"spanId", spanIdOf(run.id)},
            {"name", run.operation},
            {"kind", kSpanKindInternal},
            {"startTimeUnixNano", nanos(run.createdMs)},
            {"endTimeUnixNano", nanos(std::max(run.updatedMs, run.createdMs))},
            {"attributes", std::move(attributes)},
            {"status", status(errorMessage(run.error))}};
  if (!parentSpanId.empty()) {
    span["parentSpanId"] = parentSpanId;
  }
  return span;
}

Json stepSpan(const RunRow& run, const StepRow& step, const std::string& signal) {
  Json attributes = Json::array({attribute("opflow.run.id", run.id), attribute("opflow.node", step.node),
                                 attribute("opflow.node.kind", step.kind),
                                 attribute("opflow.step.index", step.index),
                                 attribute("opflow.step.exit", step.exit)});
  if (step.retry) {
    attributes.push_back(attribute("opflow.step.retry", true));
  }
  if (!signal.empty()) {
    attributes.push_back(attribute("opflow.wait.signal", signal));
  }
  std::int64_t startNs = step.startedMs * 1'000'000;
  return Json{{"traceId", traceIdOf(run.correlationId)},
              {"spanId", spanIdOf(run.id, step.index)},
              {"parentSpanId", spanIdOf(run.id)},
              {"name", fmt::format("{}/{}", run.operation, step.node)},
              {"kind", kSpanKindInternal},
              {"startTimeUnixNano", std::to_string(startNs)},
              {"endTimeUnixNano", std::to_string(startNs + step.durationUs * 1000)},
              {"attributes", std::move(attributes)},
              {"status", status(step.error)}};
}

// The call step of `parent` that started a child created at `createdMs`: the latest call
// step that began at or before it.
std::string callStepSpan(const RunRow& parent, const std::vector<StepRow>& steps, std::int64_t createdMs) {
  const StepRow* best = nullptr;
  for (const StepRow& step : steps) {
    if (step.kind == "call" && step.startedMs <= createdMs) {
      best = &step;
    }
  }
  return best ? spanIdOf(parent.id, best->index) : spanIdOf(parent.id);
}

// A push to the shop: queued in the outbox, answered by the shared database (applied, a
// conflict, or refused: the last two are errors); a pending one ends where it began.
Json pushSpan(const PushRow& push, const std::string& traceId, const std::string& parentSpanId) {
  Json attributes = Json::array({attribute("opflow.outbox.seq", push.seq), attribute("opflow.outbox.kind", push.kind),
                                 attribute("opflow.sync.subject", push.subject),
                                 attribute("opflow.sync.outcome", push.outcome.empty() ? "pending" : push.outcome)});
  if (!push.reason.empty()) {
    attributes.push_back(attribute("opflow.sync.reason", push.reason));
  }
  const bool failed = push.outcome == "conflict" || push.outcome == "refused";
  Json span{{"traceId", traceId},
            {"spanId", hashHex(fmt::format("outbox#{}", push.seq), 8)},
            {"name", fmt::format("sync.push {}", push.kind)},
            {"kind", kSpanKindProducer},
            {"startTimeUnixNano", nanos(push.queuedMs)},
            {"endTimeUnixNano", nanos(std::max(push.answeredMs.value_or(push.queuedMs), push.queuedMs))},
            {"attributes", std::move(attributes)},
            {"status", status(failed ? fmt::format("the shared database answered {}: {}", push.outcome, push.reason)
                                     : std::string())}};
  if (!parentSpanId.empty()) {
    span["parentSpanId"] = parentSpanId;
  }
  return span;
}

Json resource(const std::string& workstation) {
  return {{"attributes", Json::array({attribute("service.name", "opflow"), attribute("host.name", workstation)})}};
}

Status checkQuery(const TraceQuery& query) {
  int ways = (query.runId.empty() ? 0 : 1) + (query.correlationId.empty() ? 0 : 1) + (query.sinceMs ? 1 : 0);
  if (ways != 1) {
    return makeError(ErrorCode::InvalidArgument,
                     "choose the traces one way: a run id, a correlation id, or a time they started since");
  }
  if (query.runLimit < 1) {
    return makeError(ErrorCode::InvalidArgument, "the run limit must be at least 1");
  }
  return {};
}

} // namespace

std::string traceIdOf(std::string_view correlationId) {
  std::string hex;
  for (char c : correlationId) {
    if (c != '-') {
      hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  bool isHex = hex.size() == 32 && std::all_of(hex.begin(), hex.end(), [](char c) { return std::isxdigit(c); }) &&
               hex != std::string(32, '0');
  return isHex ? hex : hashHex(correlationId, 16);
}

std::string spanIdOf(std::string_view runId, std::optional<std::int64_t> stepIndex) {
  return stepIndex ? hashHex(fmt::format("{}#{}", runId, *stepIndex), 8) : hashHex(runId, 8);
}

Result<Json> exportTraces(store::LocalStore& store, const TraceQuery& query) {
  if (Status checked = checkQuery(query); !checked) {
    return checked.error();
  }
  auto reader = store.readers().acquire();
  if (!reader) {
    return reader.error();
  }
  TraceReader traces(**reader);
  auto correlationIds = traces.correlationIds(query);
  if (!correlationIds) {
    return correlationIds.error();
  }
  auto runs = traces.runsOf(*correlationIds, query.runLimit);
  if (!runs) {
    return runs.error();
  }

  std::map<std::string, const RunRow*> byId;
  for (const RunRow& run : *runs) {
    byId.emplace(run.id, &run);
  }
  std::map<std::string, std::vector<StepRow>> steps;
  for (const RunRow& run : *runs) {
    auto loaded = traces.stepsOf(run.id);
    if (!loaded) {
      return loaded.error();
    }
    steps.emplace(run.id, std::move(loaded).value());
  }

  auto pushes = traces.pushesOf(*correlationIds);
  if (!pushes) {
    return pushes.error();
  }

  struct Scopes {
    Json engine = Json::array();
    Json sync = Json::array();
  };
  std::map<std::string, Scopes> spansByWorkstation;
  for (const RunRow& run : *runs) {
    Json& spans = spansByWorkstation[run.workstation].engine;
    std::string parentSpan;
    if (auto parent = byId.find(run.parentId); parent != byId.end()) {
      parentSpan = callStepSpan(*parent->second, steps.at(parent->first), run.createdMs);
    }
    spans.push_back(runSpan(run, parentSpan));
    for (const StepRow& step : steps.at(run.id)) {
      spans.push_back(stepSpan(run, step, step.kind == "wait" ? traces.signalOf(run, step.node) : ""));
    }
  }

  for (const PushRow& push : *pushes) {
    auto run = byId.find(push.runId);
    const std::string& workstation = run != byId.end() ? run->second->workstation : push.workstation;
    spansByWorkstation[workstation].sync.push_back(
        pushSpan(push, traceIdOf(push.correlationId), run != byId.end() ? spanIdOf(push.runId) : std::string()));
  }

  Json resourceSpans = Json::array();
  for (auto& [workstation, scopes] : spansByWorkstation) {
    Json scopeSpans = Json::array();
    if (!scopes.engine.empty()) {
      scopeSpans.push_back({{"scope", {{"name", "opflow.engine"}}}, {"spans", std::move(scopes.engine)}});
    }
    if (!scopes.sync.empty()) {
      scopeSpans.push_back({{"scope", {{"name", "opflow.sync"}}}, {"spans", std::move(scopes.sync)}});
    }
    resourceSpans.push_back({{"resource", resource(workstation)}, {"scopeSpans", std::move(scopeSpans)}});
  }
  return Json{{"resourceSpans", std::move(resourceSpans)}};
}

} // namespace opflow::observe
