// What every opflow-cli command shares: the database option, opening the store with
// errors a person can act on, the exit code the chosen command sets, and who is acting.
// Each command group adds its subcommands to the app with a register function; the
// subcommand's callback does the work and sets `exitCode`. A command that only reads
// opens the store for reading: the file is left as it was, and a user who may read the
// file but not write it can still read it.
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
constexpr int kExitFailed = 3;  // the run failed, was cancelled or refused; output could not be written
constexpr int kExitOffline = 4; // the shared database could not be reached: nothing lost, sync again later

// How a command opens the database.
enum class StoreAccess {
  Read,   // an existing database, for reading: no write connection unless something must be written
  Write,  // an existing database
  Create, // make and migrate it when needed (init)
};

struct CliContext {
  std::string dbPath; // --db; defaultDatabasePath() when empty
  bool fullSync = false;
  double lockWaitS = 30; // --lock-wait: how long a command waits for another one that runs the operations
  std::string logLevel = "info"; // --log-level: of the log file beside the database
  std::string logFormat;         // --log-format: also log to stderr, as json or text (a terminal: text)
  bool logLevelGiven = false;
  int exitCode = kExitOk;

  [[nodiscard]] std::string databasePath() const;
  // Opens the database and starts the log beside it (observe::logFileOf; without one when
  // the folder may not be written). On failure prints the reason and returns null; the
  // caller exits with kExitUsage.
  [[nodiscard]] std::unique_ptr<store::LocalStore> openStore(StoreAccess access) const;

private:
  void startLog(const std::string& path) const;
};

using host::defaultDatabasePath;
using host::workstationName;
[[nodiscard]] std::string defaultUser();

// Adds `init` (creates or migrates the database).
void registerInitCommand(CLI::App& app, CliContext& context);

} // namespace opflow::cli
