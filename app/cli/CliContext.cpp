#include "CliContext.h"

#include "opflow/store/UserStore.h"

#include <fmt/format.h>

#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace opflow::cli {

std::string defaultDatabasePath() {
  if (const char* explicitPath = std::getenv("OPFLOW_DB"); explicitPath && *explicitPath) {
    return explicitPath;
  }
  if (const char* data = std::getenv("XDG_DATA_HOME"); data && *data) {
    return fmt::format("{}/opflow/opflow.db", data);
  }
  const char* home = std::getenv("HOME");
  return fmt::format("{}/.local/share/opflow/opflow.db", home && *home ? home : ".");
}

std::string workstationName() {
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("workstation");
}

std::string defaultUser() {
  const char* user = std::getenv("USER");
  return user && *user ? std::string(user) : std::string("operator");
}

std::string CliContext::databasePath() const { return dbPath.empty() ? defaultDatabasePath() : dbPath; }

std::unique_ptr<store::LocalStore> CliContext::openStore(bool create) const {
  store::LocalStoreOptions options;
  options.path = databasePath();
  options.create = create;
  options.durability = fullSync ? store::Durability::Full : store::Durability::Normal;
  auto opened = store::LocalStore::open(options);
  if (!opened) {
    std::cerr << "opflow-cli: " << opened.error().describe() << "\n";
    return nullptr;
  }
  return std::move(opened).value();
}

void registerInitCommand(CLI::App& app, CliContext& context) {
  CLI::App* init = app.add_subcommand("init", "Create the database (or bring an older one up to date)");
  auto passwordCost = std::make_shared<std::string>();
  init->add_option("--password-cost", *passwordCost,
                   "The argon2id cost of passwords: minimum (throw-away databases only), interactive (the default), "
                   "moderate or sensitive; only before the first user (later: users password-cost --as ADMIN)");
  init->callback([&context, passwordCost] {
    std::optional<auth::PasswordCost> cost;
    if (!passwordCost->empty()) {
      auto parsed = auth::parsePasswordCost(*passwordCost);
      if (!parsed) {
        std::cerr << "opflow-cli: " << parsed.error().describe() << "\n";
        context.exitCode = kExitUsage;
        return;
      }
      cost = *parsed;
    }
    auto store = context.openStore(true);
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
