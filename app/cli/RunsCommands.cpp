#include "RunsCommands.h"

#include "EngineSession.h"
#include "Identity.h"
#include "Output.h"
#include "RunCommand.h"

#include "opflow/JsonBounds.h"
#include "opflow/Text.h"
#include "opflow/auth/RunSigning.h"
#include "opflow/store/InputRefusal.h"

#include <fmt/format.h>

#include <iostream>
#include <map>

namespace opflow::cli {

namespace {

using engine::RunRecord;
using engine::RunState;

// Whether what the command changed (`what`) reached the journal; says why not.
bool journaled(EngineSession& session, const char* what) {
  Status written = session.journal();
  if (!written) {
    std::cerr << fmt::format("opflow-cli: {} could not be journaled: {}\n", what, written.error().describe());
  }
  return written.ok();
}

// A run the command may act on: known and not ended. Prints why not and gives nothing.
std::optional<RunRecord> actionableRun(EngineSession& session, const std::string& id) {
  auto run = session.runs().loadRun(engine::RunId(id));
  if (!run) {
    std::cerr << fmt::format("opflow-cli: no run \"{}\" (see: opflow-cli runs list)\n", terminalSafe(id));
    return std::nullopt;
  }
  if (engine::isTerminal(run->state)) {
    std::cerr << fmt::format("opflow-cli: run {} has ended ({}): nothing to do\n", id, engine::toString(run->state));
    return std::nullopt;
  }
  return run;
}

int printRun(EngineSession& session, const engine::RunId& id, bool json) {
  auto run = session.runs().loadRun(id);
  if (!run) {
    std::cerr << "opflow-cli: run " << id.str() << " is not in the store\n";
    return kExitFailed;
  }
  std::vector<engine::StepRecord> steps = session.runs().loadSteps(id);
  if (json) {
    printJson(std::cout, runResultJson(*run, steps));
  } else {
    printRunText(std::cout, *run, steps);
  }
  return exitCodeOf(*run);
}

struct ActOptions {
  std::string runId;
  std::string name; // signal name, or decision
  std::string node; // decide skip
  std::string payload;
  std::string user;
  CLI::Option* role = nullptr; // refused with a database: the role comes from the users table
  bool json = false;
  bool wait = false;
};

// The --payload, or nullopt after saying why it was refused (a limit broken is audited).
std::optional<Json> payloadOf(const ActOptions& options, EngineSession& session, const engine::Actor& actor) {
  if (options.payload.empty()) {
    return Json(nullptr);
  }
  auto payload = parseJson(options.payload, kInputLimits);
  if (payload) {
    return std::move(payload).value();
  }
  std::cerr << "opflow-cli: --payload: " << terminalSafe(payload.error().message) << "\n";
  if (payload.error().code == ErrorCode::InvalidInputs) {
    Status audited = store::auditInputRefusal(session.store(), {actor.user, actor.role, actor.workstation, "signal",
                                                                "--payload", options.runId, payload.error().message});
    if (!audited) {
      std::cerr << "opflow-cli: the refusal could not be audited: " << audited.error().describe() << "\n";
    }
  }
  return std::nullopt;
}

// Says whether the run, given a signature by signal, sent it back: then the run waits for
// another, and the command failed.
bool signatureRefused(EngineSession& session, const engine::RunId& id) {
  auto signing = auth::runAwaitingSignature(session.runs(), id);
  if (!signing || !signing->data.contains("signature_refusal")) {
    return false;
  }
  std::cerr << "opflow-cli: signature refused: "
            << terminalSafe(signing->data.value("signature_refusal", std::string("no reason given")))
            << " (the run waits for another)\n";
  return true;
}

int signalCommand(const ActOptions& options, const CliContext& context) {
  auto session = EngineSession::open(context, "signal", std::cerr);
  if (!session || !actionableRun(*session, options.runId)) {
    return kExitUsage;
  }
  auto actor =
      databaseActor(session->users(), options.user, claimed(options.role), domain::Permission::Act, "signal", std::cerr);
  if (!actor) {
    return kExitUsage;
  }
  auto payload = payloadOf(options, *session, *actor);
  if (!payload) {
    return kExitUsage;
  }
  if (!session->recover(std::cerr)) {
    return kExitFailed;
  }
  engine::RunId id(options.runId);
  Status delivered = session->engine().signal(id, options.name, std::move(*payload), *actor);
  if (!delivered) {
    std::cerr << "opflow-cli: " << terminalSafe(delivered.error().message) << "\n";
    return journaled(*session, "the refusal") ? kExitUsage : kExitFailed;
  }
  std::deque<engine::PendingSignal> none;
  Status carried = session->carry(id, none, options.wait);
  if (!journaled(*session, "the signal")) {
    return kExitFailed;
  }
  if (!carried) {
    std::cerr << "opflow-cli: " << terminalSafe(carried.error().message) << "\n";
    return kExitFailed;
  }
  const int outcome = printRun(*session, id, options.json);
  return options.name == "signature" && signatureRefused(*session, id) ? kExitFailed : outcome;
}

int cancelCommand(const ActOptions& options, const CliContext& context) {
  auto session = EngineSession::open(context, "cancel", std::cerr);
  if (!session || !actionableRun(*session, options.runId)) {
    return kExitUsage;
  }
  auto actor =
      databaseActor(session->users(), options.user, claimed(options.role), domain::Permission::Act, "cancel", std::cerr);
  if (!actor) {
    return kExitUsage;
  }
  if (!session->recover(std::cerr)) {
    return kExitFailed;
  }
  engine::RunId id(options.runId);
  if (Status cancelled = session->engine().cancel(id, *actor); !cancelled) {
    // Refused (audited), or recovery carried the run to its end meanwhile.
    std::cerr << "opflow-cli: " << terminalSafe(cancelled.error().message) << "\n";
    return journaled(*session, "the refusal") ? kExitUsage : kExitFailed;
  }
  if (!journaled(*session, "the cancel")) {
    return kExitFailed;
  }
  static_cast<void>(printRun(*session, id, options.json));
  return kExitOk;
}

int decideCommand(const ActOptions& options, const CliContext& context) {
  engine::Decision decision;
  if (options.name == "retry") {
    decision.kind = engine::DecisionKind::Retry;
  } else if (options.name == "skip") {
    decision.kind = engine::DecisionKind::Skip;
    decision.node = options.node;
  } else if (options.name == "fail") {
    decision.kind = engine::DecisionKind::Fail;
  } else {
    std::cerr << fmt::format("opflow-cli: unknown decision \"{}\" (retry, skip NODE or fail)\n", options.name);
    return kExitUsage;
  }
  if (decision.kind != engine::DecisionKind::Skip && !options.node.empty()) {
    std::cerr << fmt::format("opflow-cli: only skip takes a node, not {}\n", options.name);
    return kExitUsage;
  }
  auto session = EngineSession::open(context, "decide", std::cerr);
  if (!session || !actionableRun(*session, options.runId)) {
    return kExitUsage;
  }
  auto actor = databaseActor(session->users(), options.user, claimed(options.role), domain::Permission::Supervise,
                             "decide", std::cerr);
  if (!actor) {
    return kExitUsage;
  }
  if (!session->recover(std::cerr)) {
    return kExitFailed;
  }
  engine::RunId id(options.runId);
  if (Status decided = session->engine().decide(id, decision, *actor); !decided) {
    std::cerr << "opflow-cli: " << terminalSafe(decided.error().message) << "\n";
    return journaled(*session, "the refusal") ? kExitUsage : kExitFailed;
  }
  std::deque<engine::PendingSignal> none;
  Status carried = session->carry(id, none, options.wait);
  if (!journaled(*session, "the decision")) {
    return kExitFailed;
  }
  if (!carried) {
    std::cerr << "opflow-cli: " << terminalSafe(carried.error().message) << "\n";
    return kExitFailed;
  }
  static_cast<void>(printRun(*session, id, options.json));
  return kExitOk;
}

int resumeCommand(bool wait, bool json, const CliContext& context) {
  auto session = EngineSession::open(context, "resume", std::cerr);
  if (!session) {
    return kExitUsage;
  }
  std::vector<RunRecord> unfinished = session->runs().loadUnfinished();
  if (!session->recover(std::cerr)) {
    return kExitFailed;
  }
  std::vector<engine::RunId> ids;
  for (const RunRecord& run : unfinished) {
    ids.push_back(run.id);
  }
  if (Status journaled = wait ? session->sleepThroughTimers(std::move(ids)) : session->journal(); !journaled) {
    std::cerr << "opflow-cli: the resumed runs could not be journaled: " << journaled.error().describe() << "\n";
    return kExitFailed;
  }
  std::map<std::string, int> byState;
  Json runs = Json::array();
  for (const RunRecord& before : unfinished) {
    auto after = session->runs().loadRun(before.id);
    if (!after) {
      continue;
    }
    ++byState[engine::toString(after->state)];
    runs.push_back(Json{{"id", after->id.str()},
                        {"operation", after->operation},
                        {"before", engine::toString(before.state)},
                        {"state", engine::toString(after->state)},
                        {"node", after->currentNode}});
  }
  if (json) {
    printJson(std::cout, Json{{"resumed", unfinished.size()}, {"by_state", byState}, {"runs", std::move(runs)}});
  } else {
    std::string counts;
    for (const auto& [state, count] : byState) {
      counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", count, state);
    }
    std::cout << fmt::format("resumed {} run(s){}{}\n", unfinished.size(), counts.empty() ? "" : ": ", counts);
  }
  return kExitOk;
}

Json summaryJson(const store::RunSummary& run) {
  return Json{{"id", run.id},
              {"operation", run.operation},
              {"version", run.version},
              {"state", engine::toString(run.state)},
              {"node", run.node},
              {"parent_id", run.parentId.empty() ? Json(nullptr) : Json(run.parentId)},
              {"created_at", run.createdAtMs},
              {"updated_at", run.updatedAtMs},
              {"conflicted_at", run.conflictedAtMs ? Json(*run.conflictedAtMs) : Json(nullptr)}};
}

int listCommand(const std::string& state, const std::string& operation, std::size_t limit, bool json,
                const CliContext& context) {
  store::RunQuery query;
  query.operation = operation;
  query.limit = limit;
  if (!state.empty()) {
    query.state = store::runStateFromString(state);
    if (!query.state) {
      std::cerr << fmt::format("opflow-cli: unknown state \"{}\" (running, waiting, completed, failed, cancelled, "
                               "interrupted)\n",
                               state);
      return kExitUsage;
    }
  }
  auto localStore = context.openStore(StoreAccess::Read);
  if (!localStore || !databaseReader(*localStore, domain::Permission::Read, "runs list", std::cerr)) {
    return kExitUsage;
  }
  store::SqliteRunStore runs(*localStore);
  auto listed = runs.listRuns(query);
  if (!listed) {
    std::cerr << "opflow-cli: " << listed.error().describe() << "\n";
    return kExitFailed;
  }
  if (json) {
    Json list = Json::array();
    for (const store::RunSummary& run : *listed) {
      list.push_back(summaryJson(run));
    }
    printJson(std::cout, Json{{"runs", std::move(list)}});
    return kExitOk;
  }
  for (const store::RunSummary& run : *listed) {
    std::cout << fmt::format("{}  {:<11} {:<28} v{:<3} {}{}\n", run.id, engine::toString(run.state), run.operation,
                             run.version, run.node,
                             run.conflictedAtMs ? "  (conflicted: the shop did not take its change; see conflicts list)"
                                                : "");
  }
  return kExitOk;
}

int showCommand(const std::string& id, bool json, const CliContext& context) {
  auto localStore = context.openStore(StoreAccess::Read);
  if (!localStore || !databaseReader(*localStore, domain::Permission::Read, "runs show", std::cerr)) {
    return kExitUsage;
  }
  store::SqliteRunStore runs(*localStore);
  auto run = runs.loadRun(engine::RunId(id));
  if (!run) {
    std::cerr << fmt::format("opflow-cli: no run \"{}\" (see: opflow-cli runs list)\n", terminalSafe(id));
    return kExitUsage;
  }
  std::vector<engine::StepRecord> steps = runs.loadSteps(run->id);
  if (!json) {
    printRunText(std::cout, *run, steps);
    return kExitOk;
  }
  Json stepList = Json::array();
  for (const engine::StepRecord& step : steps) {
    stepList.push_back(Json{{"index", step.index},
                            {"node", step.node},
                            {"kind", model::toString(step.kind)},
                            {"exit", step.exit},
                            {"started_at", store::toMs(step.startedAt)},
                            {"duration_us", step.durationUs},
                            {"error", step.error.empty() ? Json(nullptr) : Json(step.error)},
                            {"retry", step.retry}});
  }
  Json out{{"id", run->id.str()},
           {"parent_id", run->parentId.empty() ? Json(nullptr) : Json(run->parentId.str())},
           {"operation", run->operation},
           {"version", run->version},
           {"content_hash", run->contentHash},
           {"state", engine::toString(run->state)},
           {"node", run->currentNode},
           {"inputs", run->inputs},
           {"data", run->data},
           {"outputs", run->outputs},
           {"context", run->context.toJson()},
           {"created_at", store::toMs(run->createdAt)},
           {"updated_at", store::toMs(run->updatedAt)},
           {"wake_at", run->wakeAt ? Json(store::toMs(*run->wakeAt)) : Json(nullptr)},
           {"awaited_signal", run->awaitedSignal.empty() ? Json(nullptr) : Json(run->awaitedSignal)},
           {"awaited_child", run->awaitedChild.empty() ? Json(nullptr) : Json(run->awaitedChild.str())},
           {"error", run->error ? run->error->toJson() : Json(nullptr)},
           {"step_count", run->stepCount},
           {"steps", std::move(stepList)}};
  printJson(std::cout, out);
  return kExitOk;
}

void addActor(CLI::App* command, ActOptions& options) {
  command->add_option("--user", options.user, "Who acts: a user of the database signed in here (default: who is signed in)");
  options.role = command->add_option("--role", "Refused: the role comes from the users table");
}

} // namespace

void registerRunsCommands(CLI::App& app, CliContext& context) {
  auto signal = std::make_shared<ActOptions>();
  CLI::App* signalCmd = app.add_subcommand("signal", "Deliver a signal to a waiting run and carry it on to its next "
                                                     "wait or its end (prints the same as run)");
  signalCmd->add_option("run_id", signal->runId, "The run")->required();
  signalCmd->add_option("name", signal->name, "The signal")->required();
  signalCmd->add_option("--payload", signal->payload, "The signal's payload as JSON");
  signalCmd->add_flag("--json", signal->json, "Print one JSON object");
  signalCmd->add_flag("--wait", signal->wait, "Sleep through timer waits instead of returning");
  addActor(signalCmd, *signal);
  signalCmd->callback([&context, signal] { context.exitCode = signalCommand(*signal, context); });

  auto cancel = std::make_shared<ActOptions>();
  CLI::App* cancelCmd = app.add_subcommand("cancel", "Cancel a run and its sub-runs");
  cancelCmd->add_option("run_id", cancel->runId, "The run")->required();
  cancelCmd->add_flag("--json", cancel->json, "Print one JSON object");
  addActor(cancelCmd, *cancel);
  cancelCmd->callback([&context, cancel] { context.exitCode = cancelCommand(*cancel, context); });

  auto decide = std::make_shared<ActOptions>();
  CLI::App* decideCmd = app.add_subcommand("decide", "Decide about an interrupted run: retry its node, skip to NODE, "
                                                     "or fail it (a supervisor's call)");
  decideCmd->add_option("run_id", decide->runId, "The run")->required();
  decideCmd->add_option("decision", decide->name, "retry, skip or fail")->required();
  decideCmd->add_option("node", decide->node, "skip: the node to go on at");
  decideCmd->add_flag("--json", decide->json, "Print one JSON object");
  decideCmd->add_flag("--wait", decide->wait, "Sleep through timer waits instead of returning");
  addActor(decideCmd, *decide);
  decideCmd->callback([&context, decide] { context.exitCode = decideCommand(*decide, context); });

  struct ResumeOptions {
    bool wait = false;
    bool json = false;
  };
  auto resume = std::make_shared<ResumeOptions>();
  CLI::App* resumeCmd = app.add_subcommand("resume", "Resume every unfinished run (after a crash or a restart), fire "
                                                     "overdue timers and print a summary");
  resumeCmd->add_flag("--wait", resume->wait,
                      "Sleep through the resumed runs' timer waits (a retry's backoff) until none waits on a timer "
                      "alone; a wait for a signal is never sat out");
  resumeCmd->add_flag("--json", resume->json, "Print one JSON object");
  resumeCmd->callback([&context, resume] { context.exitCode = resumeCommand(resume->wait, resume->json, context); });

  CLI::App* runs = app.add_subcommand("runs", "List and show the runs of the database");
  runs->require_subcommand(1);
  struct ListOptions {
    std::string state;
    std::string operation;
    std::size_t limit = 1000;
    bool json = false;
  };
  auto list = std::make_shared<ListOptions>();
  CLI::App* listCmd = runs->add_subcommand("list", "List runs, newest first");
  listCmd->add_option("--state", list->state, "running, waiting, completed, failed, cancelled or interrupted");
  listCmd->add_option("--operation", list->operation, "Only runs of this operation");
  listCmd->add_option("--limit", list->limit, "At most this many (0: all)")->capture_default_str();
  listCmd->add_flag("--json", list->json, "Print JSON");
  listCmd->callback([&context, list] {
    context.exitCode = listCommand(list->state, list->operation, list->limit, list->json, context);
  });

  struct ShowOptions {
    std::string id;
    bool json = false;
  };
  auto show = std::make_shared<ShowOptions>();
  CLI::App* showCmd = runs->add_subcommand("show", "Show a run with its steps");
  showCmd->add_option("id", show->id, "The run")->required();
  showCmd->add_flag("--json", show->json, "Print JSON");
  showCmd->callback([&context, show] { context.exitCode = showCommand(show->id, show->json, context); });
}

} // namespace opflow::cli
