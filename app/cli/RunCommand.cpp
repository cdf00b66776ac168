#include "RunCommand.h"

#include "EngineSession.h"
#include "Identity.h"

#include "opflow/auth/RunSigning.h"
#include "opflow/engine/Engine.h"
#include "opflow/engine/InMemoryRunStore.h"
#include "opflow/engine/RunFeeder.h"

#include <fmt/format.h>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iostream>
#include <thread>

namespace opflow::cli {

namespace {

using engine::RunRecord;
using engine::RunState;

std::optional<Json> collectInputs(const RunOptions& options) {
  Json inputs = Json::object();
  if (!options.inputsJson.empty()) {
    inputs = Json::parse(options.inputsJson, nullptr, false);
    if (inputs.is_discarded() || !inputs.is_object()) {
      std::cerr << "opflow-cli: --inputs-json must be a JSON object\n";
      return std::nullopt;
    }
  }
  for (const std::string& pair : options.inputs) {
    auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::cerr << "opflow-cli: --input takes KEY=VALUE, not \"" << pair << "\"\n";
      return std::nullopt;
    }
    inputs[pair.substr(0, equals)] = parseLooseValue(pair.substr(equals + 1));
  }
  return inputs;
}

std::deque<engine::PendingSignal> collectSignals(const std::vector<std::string>& specs) {
  std::deque<engine::PendingSignal> signals;
  for (const std::string& spec : specs) {
    auto equals = spec.find('=');
    if (equals == std::string::npos) {
      signals.push_back({spec, nullptr});
    } else {
      signals.push_back({spec.substr(0, equals), parseLooseValue(spec.substr(equals + 1))});
    }
  }
  return signals;
}

Json resultJson(const RunRecord& run, const std::vector<engine::StepRecord>& steps) {
  Json stepList = Json::array();
  for (const engine::StepRecord& step : steps) {
    stepList.push_back(Json{{"node", step.node}, {"kind", model::toString(step.kind)}, {"exit", step.exit},
                            {"duration_us", step.durationUs}});
  }
  return Json{{"run_id", run.id.str()},
              {"operation", run.operation},
              {"version", run.version},
              {"state", engine::toString(run.state)},
              {"outputs", run.outputs.is_null() ? Json::object() : run.outputs},
              {"error", run.error ? run.error->toJson() : Json(nullptr)},
              {"steps", std::move(stepList)}};
}

void printText(const RunRecord& run, const std::vector<engine::StepRecord>& steps) {
  std::cout << fmt::format("run {}  {} v{}  {}\n", run.id.str(), run.operation, run.version, engine::toString(run.state));
  for (const engine::StepRecord& step : steps) {
    std::cout << fmt::format("  {:>3}  {:<8} {:<28} {:<14} {:>8} us\n", step.index + 1, model::toString(step.kind),
                             step.node, step.exit.empty() ? "-" : step.exit, step.durationUs);
  }
  if (run.state == RunState::Completed) {
    std::cout << "outputs: " << run.outputs.dump() << "\n";
  } else if (run.state == RunState::Waiting) {
    std::cout << fmt::format("waiting at \"{}\"{}\n", run.currentNode,
                             run.awaitedSignal.empty() ? std::string() : " for signal \"" + run.awaitedSignal + "\"");
  }
}

} // namespace

Json parseLooseValue(const std::string& text) {
  Json value = Json::parse(text, nullptr, false);
  return value.is_discarded() ? Json(text) : value;
}

int exitCodeOf(const RunRecord& run) {
  if (run.state == RunState::Completed || run.state == RunState::Waiting || run.state == RunState::Interrupted) {
    return kExitOk;
  }
  std::cerr << "opflow-cli: run " << engine::toString(run.state)
            << (run.error ? ": " + run.error->describe() : std::string()) << "\n";
  return kExitFailed;
}

namespace {

// Where the run waits for a signature and stdin has a password line, `user` signs and
// the run goes on, as often as it asks. kExitFailed after saying why when a signature is
// refused (the run keeps waiting for another).
int signWhereAsked(EngineSession& session, const engine::RunId& runId, const std::string& user,
                   std::deque<engine::PendingSignal>& signals) {
  while (auto signing = auth::runAwaitingSignature(session.runs(), runId)) {
    auto password = readPassword(fmt::format("password of {} to sign \"{}\": ", user,
                                             signing->inputs.value("meaning", std::string())));
    if (!password) {
      std::cerr << fmt::format("opflow-cli: the run waits for a signature: opflow-cli sign {} --user NAME (password "
                               "on stdin)\n",
                               runId.str());
      return kExitOk;
    }
    auto signature = signAndCarry(session, runId, *signing, {user, *password}, signals);
    if (!signature) {
      std::cerr << "opflow-cli: signature refused: " << signature.error().message << "\n";
      return kExitFailed;
    }
  }
  return kExitOk;
}

bool usesDatabase(const CliContext& context) {
  const char* explicitPath = std::getenv("OPFLOW_DB");
  return !context.dbPath.empty() || (explicitPath && *explicitPath);
}

int runInDatabase(const RunOptions& options, const CliContext& context) {
  auto inputs = collectInputs(options);
  if (!inputs) {
    return kExitUsage;
  }
  auto session = EngineSession::open(context, std::cerr);
  if (!session) {
    return kExitUsage;
  }
  auto actor = databaseActor(*session, options.user, options.roleGiven, domain::Permission::Act, "run", std::cerr);
  if (!actor) {
    return kExitUsage;
  }
  std::string operation = options.operation;
  std::vector<std::string> toLoad = options.load;
  std::error_code fileError;
  bool isFile = std::filesystem::is_regular_file(options.operation, fileError);
  if (isFile) {
    toLoad.push_back(options.operation);
  }
  if (!toLoad.empty()) {
    // Definitions loaded here become the shop's: only an admin stores them.
    auto admin = databaseActor(*session, actor->user, false, domain::Permission::Administer, "run --load", std::cerr);
    if (!admin) {
      return kExitUsage;
    }
    auto outcomes = session->loadAndStore(toLoad, *admin, std::cerr);
    if (!outcomes) {
      return kExitUsage;
    }
    if (isFile) {
      operation = outcomes->back().name;
    }
  }
  if (!session->definitions().catalog().contains(operation)) {
    std::cerr << "opflow-cli: no operation or file \"" << operation << "\" (see: opflow-cli ops list)\n";
    return kExitUsage;
  }
  if (!session->recover(std::cerr)) {
    return kExitFailed;
  }
  std::deque<engine::PendingSignal> signals = collectSignals(options.signals);
  engine::RunContext runContext{actor->user, actor->role, actor->workstation, {}, {}, {}};
  auto started = session->engine().start({operation, std::nullopt, std::move(*inputs), runContext});
  if (!started) {
    std::cerr << "opflow-cli: refused: " << started.error().describe() << "\n";
    return kExitFailed;
  }
  const engine::RunId runId = started.value();
  if (Status fed = session->carry(runId, signals, options.sleepThroughTimers); !fed) {
    std::cerr << "opflow-cli: " << fed.error().message << "\n";
    return kExitFailed;
  }
  const int signingOutcome = signWhereAsked(*session, runId, actor->user, signals);
  auto run = session->runs().loadRun(runId);
  if (!run) {
    std::cerr << "opflow-cli: run " << runId.str() << " was not stored\n";
    return kExitFailed;
  }
  std::vector<engine::StepRecord> steps = session->runs().loadSteps(runId);
  if (options.json) {
    std::cout << runResultJson(*run, steps).dump() << "\n";
  } else {
    printRunText(std::cout, *run, steps);
  }
  if (!signals.empty()) {
    std::cerr << fmt::format("opflow-cli: {} signal(s) were not used: the run {} before they were needed\n",
                             signals.size(), run->state == RunState::Waiting ? "is waiting otherwise" : "ended");
  }
  const int outcome = exitCodeOf(*run);
  return outcome != kExitOk ? outcome : signingOutcome;
}

} // namespace

int runCommand(const RunOptions& options, const CliContext& context) {
  if (usesDatabase(context)) {
    return runInDatabase(options, context);
  }
  Definitions definitions;
  if (!definitions.loadBuiltins(std::cerr)) {
    return kExitFailed;
  }
  if (!options.load.empty() && !definitions.load(options.load, std::cerr)) {
    return kExitUsage;
  }
  std::string operation = definitions.resolve(options.operation, std::cerr);
  if (operation.empty()) {
    return kExitUsage;
  }
  auto inputs = collectInputs(options);
  if (!inputs) {
    return kExitUsage;
  }
  std::deque<engine::PendingSignal> signals = collectSignals(options.signals);

  engine::InMemoryRunStore store;
  engine::Engine engine(definitions.catalog(), store);
  engine::RunContext runContext{options.user.empty() ? defaultUser() : options.user,
                                options.role.empty() ? "operator" : options.role, workstationName(), {}, {}, {}};
  auto started = engine.start({operation, std::nullopt, std::move(*inputs), runContext});
  if (!started) {
    std::cerr << "opflow-cli: refused: " << started.error().describe() << "\n";
    return kExitFailed;
  }
  const engine::RunId runId = started.value();

  Status fed = engine::feedRun(engine, store, runId, signals,
                               [](engine::TimePoint due) { std::this_thread::sleep_until(due); });
  if (!fed) {
    std::cerr << "opflow-cli: " << fed.error().message << "\n";
    return kExitFailed;
  }

  RunRecord run = *store.loadRun(runId);
  std::vector<engine::StepRecord> steps = store.loadSteps(runId);
  if (options.json) {
    std::cout << resultJson(run, steps).dump() << "\n";
  } else {
    printText(run, steps);
  }
  if (!signals.empty()) {
    std::cerr << fmt::format("opflow-cli: {} signal(s) were not used: the run {} before they were needed\n",
                             signals.size(), run.state == RunState::Waiting ? "is waiting otherwise" : "ended");
  }
  if (run.state == RunState::Completed || run.state == RunState::Waiting) {
    if (run.state == RunState::Waiting) {
      std::cerr << "opflow-cli: the run is waiting; without a database it ends with this process\n";
    }
    return kExitOk;
  }
  std::cerr << "opflow-cli: run " << engine::toString(run.state)
            << (run.error ? ": " + run.error->describe() : std::string()) << "\n";
  return kExitFailed;
}

void registerRunCommand(CLI::App& app, CliContext& context) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand("run", "Run an operation to its end and print the outcome");
  run->add_option("operation", options->operation, "An operation name or a definition file")->required();
  run->add_option("--load", options->load, "Definition files or directories to load first (for calls)");
  run->add_option("--input", options->inputs, "An input as KEY=VALUE (VALUE is JSON when it parses)");
  run->add_option("--inputs-json", options->inputsJson, "All inputs as one JSON object");
  run->add_option("--user", options->user,
                  "Who runs it (default: $USER; with a database: who is signed in here), who signs where the run asks (the "
                  "password on stdin)");
  CLI::Option* role = run->add_option(
      "--role", options->role,
      "Without a database: operator (default), supervisor, manager or admin; with one the user's role counts");
  run->add_option("--signal", options->signals, "A signal NAME[=JSON] for the run's waits, in order");
  run->add_flag("--json", options->json, "Print one JSON object");
  run->add_flag("--wait", options->sleepThroughTimers, "With a database: sleep through timer waits instead of returning");
  run->callback([&context, options, role] {
    options->roleGiven = role->count() > 0;
    context.exitCode = runCommand(*options, context);
  });
}

} // namespace opflow::cli
