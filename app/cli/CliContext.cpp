#include "CliContext.h"

#include "SyncCommands.h"

#include "opflow/demo/DemoShop.h"
#include "opflow/observe/Log.h"
#include "opflow/observe/TaskProgress.h"
#include "opflow/store/UserStore.h"

#include <fmt/format.h>

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace opflow::cli {

std::string defaultUser() {
  const char* user = std::getenv("USER");
  return user && *user ? std::string(user) : std::string("operator");
}

std::string CliContext::databasePath() const { return dbPath.empty() ? defaultDatabasePath() : dbPath; }

std::unique_ptr<store::LocalStore> CliContext::openStore(StoreAccess access) const {
  store::LocalStoreOptions options;
  options.path = databasePath();
  options.create = access == StoreAccess::Create;
  options.forReading = access == StoreAccess::Read;
  options.durability = fullSync ? store::Durability::Full : store::Durability::Normal;
  auto opened = store::LocalStore::open(options);
  if (!opened) {
    std::cerr << "opflow-cli: " << opened.error().describe() << "\n";
    return nullptr;
  }
  startLog(options.path);
  return std::move(opened).value();
}

void CliContext::startLog(const std::string& path) const {
  observe::LogOptions log;
  log.filePath = observe::logFileOf(path);
  log.level = observe::logLevelFromString(logLevel).value();
  // A terminal sees warnings and errors unless --log-level asks for more; stderr that is
  // not a terminal sees lines only when --log-format asks for them.
  log.toStandardError = !logFormat.empty() || isatty(STDERR_FILENO) != 0;
  log.terminalLevel = logLevelGiven ? log.level : observe::LogLevel::Warn;
  log.terminalFormat = logFormat == "json" ? observe::LogFormat::Json : observe::LogFormat::Text;
  if (!observe::startLogging(log)) {
    log.filePath.clear(); // a database read by a user who may not write its folder
    static_cast<void>(observe::startLogging(log));
  }
}

namespace {

int createDemo(const CliContext& context, demo::DemoOptions options, bool passwordCostGiven) {
  if (passwordCostGiven) {
    std::cerr << "opflow-cli: init --demo sets the password cost itself (its users' passwords are public)\n";
    return kExitUsage;
  }
  options.path = context.databasePath();
  options.workstation = workstationName();
  // On a terminal one line kept current; in a captured log a line at each tenth of the way.
  const bool terminal = isatty(STDERR_FILENO) != 0;
  const observe::TaskProgress replay("runs");
  int shownTenth = -1;
  options.progress = [&](std::size_t done, std::size_t total) {
    const std::string line = "replaying the demo shop's history: " + replay.text(done, total);
    if (terminal) {
      std::cerr << "\r" << line << "\x1b[K" << std::flush;
    } else if (const int tenth = observe::TaskProgress::percent(done, total) / 10; tenth != shownTenth) {
      shownTenth = tenth;
      std::cerr << line << "\n";
    }
  };
  auto report = demo::createDemoShop(options);
  if (terminal) {
    std::cerr << "\n";
  }
  if (!report) {
    std::cerr << "opflow-cli: " << report.error().describe() << "\n";
    return report.error().code == ErrorCode::Internal || report.error().code == ErrorCode::Io ? kExitFailed
                                                                                               : kExitUsage;
  }
  std::cout << fmt::format("demo shop ready at {} ({:.1f} s)\n", options.path,
                           static_cast<double>(report->elapsedMs) / 1000.0);
  std::cout << fmt::format("  {} orders ({} on hold), {} runs ({} refused as planned), {} signatures\n",
                           report->orders, report->held, report->runs, report->refused, report->signatures);
  for (const auto& [status, count] : report->byStatus) {
    std::cout << fmt::format("  {:<24} {:>6}\n", status, count);
  }
  std::cout << fmt::format("  price calculations running: {} (they go on when the console or `opflow-cli resume` "
                           "opens the database)\n",
                           report->runningRuns.size());
  std::cout << fmt::format("  model files: {}\n  users (name / role / password):\n", report->models.string());
  for (const demo::DemoUser& user : demo::demoUsers()) {
    std::cout << fmt::format("    {:<6} {:<11} {}\n", user.name, domain::toString(user.role), user.password);
  }
  for (const std::string& problem : report->unexpected) {
    std::cerr << "opflow-cli: demo step ended otherwise than planned: " << problem << "\n";
  }
  return report->unexpected.empty() ? kExitOk : kExitFailed;
}

} // namespace

void registerInitCommand(CLI::App& app, CliContext& context) {
  CLI::App* init = app.add_subcommand("init", "Create the database (or bring an older one up to date)");
  auto passwordCost = std::make_shared<std::string>();
  init->add_option("--password-cost", *passwordCost,
                   "The argon2id cost of passwords: interactive (the default), moderate or sensitive; only before "
                   "the first user (later: users password-cost --as ADMIN)");
  auto demo = std::make_shared<demo::DemoOptions>();
  auto withDemo = std::make_shared<bool>(false);
  init->add_flag("--demo", *withDemo,
                 "Create a new database with a living demo shop: demo users (see README), about 10,000 orders "
                 "with their histories, a few price calculations running");
  init->add_option("--orders", demo->orders, "With --demo: how many orders")->capture_default_str();
  init->add_option("--seed", demo->seed, "With --demo: the seed of the demo plan")->capture_default_str();
  auto shared = std::make_shared<InitSharedOptions>();
  CLI::Option* sharedOption = init->add_option(
      "--shared", shared->target,
      "Make a new workstation database joined to the shop's shared database TARGET, with the shop's users, settings "
      "and orders (needs --as, the shop's admin; password on stdin)");
  sharedOption->excludes(init->get_option("--demo"));
  init->add_option("--as", shared->admin, "With --shared: the shop's admin who joins the workstation")
      ->needs(sharedOption);
  init->add_option("--workstation", shared->workstation,
                   "With --shared: this database's name in the shop (default: the host name)")
      ->needs(sharedOption);
  init->callback([&context, passwordCost, demo, withDemo, shared] {
    if (!shared->target.empty()) {
      if (shared->admin.empty()) {
        std::cerr << "opflow-cli: init --shared needs --as, the shop's admin who joins the workstation\n";
        context.exitCode = kExitUsage;
        return;
      }
      context.exitCode = initSharedCommand(*shared, context);
      return;
    }
    if (*withDemo) {
      context.exitCode = createDemo(context, *demo, !passwordCost->empty());
      return;
    }
    std::optional<auth::PasswordCost> cost;
    if (!passwordCost->empty()) {
      auto parsed = auth::parsePasswordCost(*passwordCost);
      if (!parsed || *parsed == auth::PasswordCost::Minimum) {
        std::cerr << "opflow-cli: "
                  << (parsed ? std::string("the minimum cost is for the demo shop only (init --demo), whose passwords "
                                           "are public")
                             : parsed.error().describe())
                  << "\n";
        context.exitCode = kExitUsage;
        return;
      }
      cost = *parsed;
    }
    auto store = context.openStore(StoreAccess::Create);
    if (!store) {
      context.exitCode = kExitUsage;
      return;
    }
    if (cost) {
      store::UserStore users(*store);
      if (Status set = users.setPasswordCost(*cost, {std::nullopt, workstationName(), ""}); !set) {
        std::cerr << "opflow-cli: " << set.error().describe() << "\n";
        context.exitCode = kExitUsage;
        return;
      }
    }
    std::cout << fmt::format("database ready at {}\n", store->path());
  });
}

} // namespace opflow::cli
