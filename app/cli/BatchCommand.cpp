#include "BatchCommand.h"

#include "EngineSession.h"
#include "Identity.h"
#include "Output.h"

#include "opflow/Text.h"
#include "opflow/domain/OrderStatus.h"

#include <fmt/format.h>

#include <iostream>
#include <map>

namespace opflow::cli {

namespace {

struct BatchOptions {
  std::string operation;
  std::string status;
  std::size_t limit = 0;
  std::string user;
  CLI::Option* role = nullptr; // refused: the role comes from the users table
  bool json = false;
};

// Every order number in `status`, newest first, page by page.
Result<std::vector<std::string>> ordersIn(const store::OrderStore& orders, domain::OrderStatus status) {
  std::vector<std::string> numbers;
  store::OrderQuery query;
  query.statuses = {status};
  query.limit = 1000;
  while (true) {
    auto page = orders.list(query);
    if (!page) {
      return page.error();
    }
    for (const store::OrderSummary& order : page->orders) {
      numbers.push_back(order.number);
    }
    if (page->nextCursor.empty()) {
      return numbers;
    }
    query.after = page->nextCursor;
  }
}

int batchCommand(const BatchOptions& options, const CliContext& context) {
  auto status = domain::parseOrderStatus(options.status);
  if (!status) {
    std::cerr << "opflow-cli: " << status.error().describe() << "\n";
    return kExitUsage;
  }
  auto session = EngineSession::open(context, "batch", std::cerr);
  if (!session) {
    return kExitUsage;
  }
  if (!session->definitions().catalog().latest(options.operation)) {
    std::cerr << fmt::format("opflow-cli: no operation \"{}\" (see `opflow-cli ops list`)\n",
                             terminalSafe(options.operation));
    return kExitUsage;
  }
  auto actor = databaseActor(session->users(), options.user, claimed(options.role), domain::Permission::Act, "batch",
                             std::cerr);
  if (!actor) {
    return kExitUsage;
  }
  if (!session->recover(std::cerr)) {
    return kExitFailed;
  }
  auto candidates = ordersIn(session->orders(), *status);
  auto worked = session->runs().ordersWorkedBy(options.operation);
  if (!candidates || !worked) {
    std::cerr << "opflow-cli: " << (!candidates ? candidates.error() : worked.error()).describe() << "\n";
    return kExitFailed;
  }
  std::vector<engine::RunId> started;
  std::size_t refused = 0;
  for (const std::string& number : *candidates) {
    if (worked->contains(number)) {
      continue;
    }
    if (options.limit != 0 && started.size() + refused >= options.limit) {
      break;
    }
    engine::RunContext runContext{actor->user, actor->role, actor->workstation, {}, {}, {}};
    auto run = session->engine().start({options.operation, std::nullopt, Json{{"order", number}}, runContext});
    if (!run) {
      ++refused;
      std::cerr << fmt::format("opflow-cli: {}: refused: {}\n", number, terminalSafe(run.error().describe()));
      continue;
    }
    started.push_back(*run);
  }
  if (Status slept = session->sleepThroughTimers(started); !slept) {
    std::cerr << "opflow-cli: the runs could not be journaled: " << slept.error().describe() << "\n";
    return kExitFailed;
  }

  std::map<std::string, int> byState;
  for (const engine::RunId& id : started) {
    if (auto run = session->runs().loadRun(id)) {
      ++byState[engine::toString(run->state)];
    }
  }
  if (options.json) {
    printJson(std::cout, Json{{"operation", options.operation},
                              {"status", options.status},
                              {"started", started.size()},
                              {"refused", refused},
                              {"by_state", byState}});
  } else {
    std::string counts;
    for (const auto& [state, count] : byState) {
      counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", count, state);
    }
    std::cout << fmt::format("{}: started {} run(s) on {} orders{}{}{}\n", options.operation, started.size(),
                             options.status, counts.empty() ? "" : ": ", counts,
                             refused == 0 ? std::string() : fmt::format(" ({} refused)", refused));
  }
  return kExitOk;
}

} // namespace

void registerBatchCommand(CLI::App& app, CliContext& context) {
  auto options = std::make_shared<BatchOptions>();
  CLI::App* batch = app.add_subcommand(
      "batch", "Run an operation once for every order in a status (resumable); returns once its runs have ended or "
               "wait for a signal (their own timer waits, such as a retry's backoff, are slept through)");
  batch->add_option("operation", options->operation, "The operation; it gets the order number as input \"order\"")
      ->required();
  batch->add_option("--status", options->status, "The orders' status, e.g. SUBMITTED")->required();
  batch->add_option("--limit", options->limit, "Start at most this many runs (0: all)")->capture_default_str();
  batch->add_option("--user", options->user, "Who runs them: a user of the database signed in here (default: who is signed in)");
  options->role = batch->add_option("--role", "Refused: the role comes from the users table");
  batch->add_flag("--json", options->json, "Print one JSON object");
  batch->callback([&context, options] { context.exitCode = batchCommand(*options, context); });
}

} // namespace opflow::cli
