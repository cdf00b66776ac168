#include "SignCommand.h"

#include "EngineSession.h"
#include "Identity.h"
#include "Output.h"
#include "RunCommand.h"

#include "opflow/Text.h"
#include "opflow/auth/RunSigning.h"

#include <fmt/format.h>

#include <iostream>

namespace opflow::cli {

namespace {

struct SignOptions {
  std::string runId;
  std::string user;
  bool json = false;
};

int signCommand(const SignOptions& options, const CliContext& context) {
  auto session = EngineSession::open(context, "sign", std::cerr);
  if (!session) {
    return kExitUsage;
  }
  engine::RunId id(options.runId);
  if (!session->runs().loadRun(id)) {
    std::cerr << fmt::format("opflow-cli: no run \"{}\" (see: opflow-cli runs list)\n", terminalSafe(options.runId));
    return kExitUsage;
  }
  if (!session->recover(std::cerr)) {
    return kExitFailed;
  }
  auto signing = auth::runAwaitingSignature(session->runs(), id);
  if (!signing) {
    std::cerr << fmt::format("opflow-cli: run {} does not wait for a signature\n", terminalSafe(options.runId));
    return kExitUsage;
  }
  const std::string user = options.user.empty() ? defaultUser() : options.user;
  auto password = readPassword(
      fmt::format("password of {} to sign \"{}\": ", user, signing->inputs.value("meaning", std::string())));
  if (!password) {
    std::cerr << fmt::format("opflow-cli: no password for {} on stdin\n", user);
    return kExitUsage;
  }
  std::deque<engine::PendingSignal> none;
  auto signature = signAndCarry(*session, id, *signing, {user, *password}, none);
  if (Status journaled = session->journal(); !journaled) {
    std::cerr << "opflow-cli: the signature could not be journaled: " << journaled.error().describe() << "\n";
    return kExitFailed;
  }
  if (!signature && signature.error().code != ErrorCode::PermissionDenied) {
    std::cerr << "opflow-cli: " << terminalSafe(signature.error().describe()) << "\n";
    return kExitFailed;
  }
  auto run = session->runs().loadRun(id);
  if (!run) {
    std::cerr << "opflow-cli: run " << options.runId << " is not in the store\n";
    return kExitFailed;
  }
  std::vector<engine::StepRecord> steps = session->runs().loadSteps(id);
  if (options.json) {
    printJson(std::cout, runResultJson(*run, steps));
  } else {
    printRunText(std::cout, *run, steps);
  }
  if (!signature) {
    std::cerr << "opflow-cli: signature refused: " << terminalSafe(signature.error().message) << "\n";
    return kExitFailed;
  }
  std::cerr << fmt::format("opflow-cli: signed by {} ({}): \"{}\", signature {}\n", signature->signer,
                           domain::toString(signature->role), signature->meaning, signature->id);
  return exitCodeOf(*run);
}

} // namespace

void registerSignCommand(CLI::App& app, CliContext& context) {
  auto options = std::make_shared<SignOptions>();
  CLI::App* sign = app.add_subcommand(
      "sign", "Give the electronic signature a run waits for (password on stdin), and carry the run on");
  sign->add_option("run_id", options->runId, "The run (or its sub-run) that waits for a signature")->required();
  sign->add_option("--user", options->user, "Who signs (default: $USER)");
  sign->add_flag("--json", options->json, "Print the run as one JSON object");
  sign->callback([&context, options] { context.exitCode = signCommand(*options, context); });
}

} // namespace opflow::cli
