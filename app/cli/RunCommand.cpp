#include "RunCommand.h"

#include "EngineSession.h"
#include "Identity.h"
#include "Output.h"
#include "SyncCommands.h"

#include "opflow/JsonBounds.h"
#include "opflow/Text.h"
#include "opflow/auth/RunSigning.h"
#include "opflow/engine/Engine.h"
#include "opflow/engine/InMemoryRunStore.h"
#include "opflow/engine/RunFeeder.h"
#include "opflow/store/InputRefusal.h"

#include <fmt/format.h>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <iostream>
#include <thread>
#include <variant>

namespace opflow::cli {

namespace {

using engine::RunRecord;
using engine::RunState;

// Why a command-line input was refused: which option, and the problem. `limits` marks a
// limit broken (audited with a database) rather than a usage mistake.
struct InputProblem {
  std::string input;
  std::string problem;
  bool limits = false;
};

void report(const InputProblem& problem) {
  std::cerr << fmt::format("opflow-cli: {}: {}\n", terminalSafe(problem.input), terminalSafe(problem.problem));
}

// The run's inputs from --inputs-json and --input, or why they were refused.
std::variant<Json, InputProblem> collectInputs(const RunOptions& options) {
  Json inputs = Json::object();
  if (!options.inputsJson.empty()) {
    auto parsed = parseJson(options.inputsJson, kInputLimits);
    if (!parsed) {
      return InputProblem{"--inputs-json", parsed.error().message, parsed.error().code == ErrorCode::InvalidInputs};
    }
    if (!parsed->is_object()) {
      return InputProblem{"--inputs-json", "must be a JSON object"};
    }
    inputs = std::move(parsed).value();
  }
  for (const std::string& pair : options.inputs) {
    auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      return InputProblem{"--input", fmt::format("takes KEY=VALUE, not \"{}\"", pair)};
    }
    const std::string key = pair.substr(0, equals);
    auto value = parseLooseValue(pair.substr(equals + 1));
    if (!value) {
      return InputProblem{"--input " + key, value.error().message, true};
    }
    inputs[key] = std::move(value).value();
  }
  if (auto violation = checkJson(inputs, kInputLimits)) {
    return InputProblem{"the inputs", violation->describe(), true};
  }
  return inputs;
}

// The --signal NAME[=JSON] list, or why one was refused.
std::variant<std::deque<engine::PendingSignal>, InputProblem> collectSignals(const std::vector<std::string>& specs) {
  std::deque<engine::PendingSignal> signals;
  for (const std::string& spec : specs) {
    auto equals = spec.find('=');
    if (equals == std::string::npos) {
      signals.push_back({spec, nullptr});
      continue;
    }
    auto payload = parseLooseValue(spec.substr(equals + 1));
    if (!payload) {
      return InputProblem{"--signal " + spec.substr(0, equals), payload.error().message, true};
    }
    signals.push_back({spec.substr(0, equals), std::move(payload).value()});
  }
  return signals;
}

} // namespace

Result<Json> parseLooseValue(const std::string& text) {
  if (auto violation = scanJsonText(text, kInputLimits)) {
    return makeError(ErrorCode::InvalidInputs, violation->describe());
  }
  Json value = Json::parse(text, nullptr, false);
  return value.is_discarded() ? Json(text) : value;
}

int exitCodeOf(const RunRecord& run) {
  if (run.state == RunState::Completed || run.state == RunState::Waiting || run.state == RunState::Interrupted) {
    return kExitOk;
  }
  std::cerr << "opflow-cli: run " << engine::toString(run.state)
            << (run.error ? ": " + terminalSafe(run.error->describe()) : std::string()) << "\n";
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
      std::cerr << "opflow-cli: signature refused: " << terminalSafe(signature.error().message) << "\n";
      return kExitFailed;
    }
  }
  return kExitOk;
}

bool usesDatabase(const CliContext& context) {
  const char* explicitPath = std::getenv("OPFLOW_DB");
  return !context.dbPath.empty() || (explicitPath && *explicitPath);
}

// Says why an input was refused; one that broke a limit is audited as `actor`'s.
int refuseInput(EngineSession& session, const engine::Actor& actor, const std::string& operation,
                const InputProblem& problem) {
  report(problem);
  if (problem.limits) {
    Status audited = store::auditInputRefusal(
        session.store(), {actor.user, actor.role, actor.workstation, "run", problem.input, operation, problem.problem});
    if (!audited) {
      std::cerr << "opflow-cli: the refusal could not be audited: " << audited.error().describe() << "\n";
    }
  }
  return kExitUsage;
}

int runInDatabase(const RunOptions& options, const CliContext& context) {
  auto session = EngineSession::open(context, "run", std::cerr);
  if (!session) {
    return kExitUsage;
  }
  auto actor =
      databaseActor(session->users(), options.user, options.claimedRole, domain::Permission::Act, "run", std::cerr);
  if (!actor) {
    return kExitUsage;
  }
  auto inputs = collectInputs(options);
  if (auto* problem = std::get_if<InputProblem>(&inputs)) {
    return refuseInput(*session, *actor, options.operation, *problem);
  }
  auto collected = collectSignals(options.signals);
  if (auto* problem = std::get_if<InputProblem>(&collected)) {
    return refuseInput(*session, *actor, options.operation, *problem);
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
    auto admin = databaseActor(session->users(), actor->user, std::nullopt, domain::Permission::Administer,
                               "run --load", std::cerr);
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
    std::cerr << "opflow-cli: no operation or file \"" << terminalSafe(operation) << "\" (see: opflow-cli ops list)\n";
    return kExitUsage;
  }
  if (!session->recover(std::cerr)) {
    return kExitFailed;
  }
  Json runInputs = std::get<Json>(std::move(inputs));
  if (auto order = runInputs.find("order"); order != runInputs.end() && order->is_string()) {
    takeCurrentOrderBeforeMove(session->store(), order->get<std::string>(), std::cerr);
  }
  std::deque<engine::PendingSignal> signals = std::get<std::deque<engine::PendingSignal>>(std::move(collected));
  engine::RunContext runContext{actor->user, actor->role, actor->workstation, {}, {}, {}};
  return startAndCarry(*session, {operation, std::nullopt, std::move(runInputs), runContext}, signals,
                       options.sleepThroughTimers, options.json ? RunPrint::Json : RunPrint::Text)
      .exitCode;
}

} // namespace

CarriedRun startAndCarry(EngineSession& session, engine::StartRequest request,
                         std::deque<engine::PendingSignal>& signals, bool sleepThroughTimers, RunPrint print) {
  const std::string signer = request.context.user;
  auto started = session.engine().start(std::move(request));
  if (!started) {
    std::cerr << "opflow-cli: refused: " << terminalSafe(started.error().describe()) << "\n";
    return {kExitFailed, std::nullopt};
  }
  const engine::RunId runId = started.value();
  Status fed = session.carry(runId, signals, sleepThroughTimers);
  const int signingOutcome = fed ? signWhereAsked(session, runId, signer, signals) : kExitFailed;
  if (Status journaled = session.journal(); !journaled) {
    // The journal's own failure (a full disk) says more than anything that followed from it.
    std::cerr << "opflow-cli: run " << runId.str() << " could not be journaled: " << journaled.error().describe()
              << "\n";
    return {kExitFailed, std::nullopt};
  }
  if (!fed) {
    std::cerr << "opflow-cli: " << terminalSafe(fed.error().message) << "\n";
    return {kExitFailed, std::nullopt};
  }
  auto run = session.runs().loadRun(runId);
  if (!run) {
    std::cerr << "opflow-cli: run " << runId.str() << " was not stored\n";
    return {kExitFailed, std::nullopt};
  }
  std::vector<engine::StepRecord> steps = session.runs().loadSteps(runId);
  if (print == RunPrint::Json) {
    printJson(std::cout, runResultJson(*run, steps));
  } else if (print == RunPrint::Text) {
    printRunText(std::cout, *run, steps);
  }
  if (!signals.empty()) {
    std::cerr << fmt::format("opflow-cli: {} signal(s) were not used: the run {} before they were needed\n",
                             signals.size(), run->state == RunState::Waiting ? "is waiting otherwise" : "ended");
  }
  const int outcome = exitCodeOf(*run);
  return {outcome != kExitOk ? outcome : signingOutcome, std::move(run)};
}

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
  if (auto* problem = std::get_if<InputProblem>(&inputs)) {
    report(*problem);
    return kExitUsage;
  }
  auto collected = collectSignals(options.signals);
  if (auto* problem = std::get_if<InputProblem>(&collected)) {
    report(*problem);
    return kExitUsage;
  }
  std::deque<engine::PendingSignal> signals = std::get<std::deque<engine::PendingSignal>>(std::move(collected));

  engine::InMemoryRunStore store;
  engine::Engine engine(definitions.catalog(), store);
  engine::RunContext runContext{options.user.empty() ? defaultUser() : options.user,
                                options.role.empty() ? "operator" : options.role, workstationName(), {}, {}, {}};
  auto started = engine.start({operation, std::nullopt, std::get<Json>(std::move(inputs)), runContext});
  if (!started) {
    std::cerr << "opflow-cli: refused: " << terminalSafe(started.error().describe()) << "\n";
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
    printJson(std::cout, runResultJson(run, steps));
  } else {
    printRunText(std::cout, run, steps);
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
            << (run.error ? ": " + terminalSafe(run.error->describe()) : std::string()) << "\n";
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
    options->claimedRole = claimed(role);
    context.exitCode = runCommand(*options, context);
  });
}

} // namespace opflow::cli
