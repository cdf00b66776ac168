// What every opflow-cli command shares: the database option, opening the store with
// errors a person can act on, the exit code the chosen command sets, and who is acting.
// Each command group adds its subcommands to the app with a register function; the
// subcommand's callback does the work and sets `exitCode`.
// Thread-safety: single-threaded.
#pragma once

#include "opflow/host/WorkstationHost.h"
#include "opflow/store/LocalStore.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace opflow::cli {

constexpr int kExitOk = 0;
constexpr int kExitInvalid = 1; // a check found problems (validate, audit verify)
constexpr int kExitUsage = 2;   // bad input: nothing was written
constexpr int kExitFailed = 3;  // the run failed, was cancelled or refused

struct CliContext {
  std::string dbPath; // --db; defaultDatabasePath() when empty
  bool fullSync = false;
  int exitCode = kExitOk;

  [[nodiscard]] std::string databasePath() const;
  // Opens the existing database (create: make and migrate it). On failure prints the
  // reason and returns null; the caller exits with kExitUsage.
  [[nodiscard]] std::unique_ptr<store::LocalStore> openStore(bool create = false) const;
};

using host::defaultDatabasePath;
using host::workstationName;
[[nodiscard]] std::string defaultUser();

// Adds `init` (creates or migrates the database).
void registerInitCommand(CLI::App& app, CliContext& context);

} // namespace opflow::cli
