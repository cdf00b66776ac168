// opflow-cli: the headless face of Opflow. It links only the Qt-free core.
// Command names, options and JSON shapes are relied on by scripts: keep them stable.
#include "AuditCommands.h"
#include "BatchCommand.h"
#include "ObserveCommands.h"
#include "CliContext.h"
#include "OpsCommands.h"
#include "OrdersCommands.h"
#include "RunCommand.h"
#include "RunsCommands.h"
#include "SignCommand.h"
#include "SyncCommands.h"
#include "UsersCommands.h"
#include "Output.h"

#include "opflow/observe/Log.h"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"Opflow: run and inspect operations declared as flowcharts", "opflow-cli"};
  app.require_subcommand(1);
  app.fallthrough();

  opflow::cli::CliContext context;
  app.add_option("--db", context.dbPath, "The workstation database (default: $OPFLOW_DB or the user's data dir)");
  app.add_flag("--full-sync", context.fullSync, "Commit with synchronous=FULL (survives power loss, slower)");
  app.add_option("--lock-wait", context.lockWaitS,
                 "Seconds to wait for another command that runs the database's operations (a console is not waited for)")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  auto* logLevel = app.add_option("--log-level", context.logLevel,
                                  "Log lines of this level and above (debug, info, warn, error, off) to the log "
                                  "beside the database, <db>.log (JSON lines); a terminal sees warnings unless this "
                                  "is given")
                       ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}))
                       ->capture_default_str();
  app.add_option("--log-format", context.logFormat, "Also log to stderr, as json or text")
      ->check(CLI::IsMember({"json", "text"}));
  app.parse_complete_callback([&context, logLevel] { context.logLevelGiven = logLevel->count() > 0; });

  opflow::cli::registerInitCommand(app, context);
  opflow::cli::registerOpsCommands(app, context);
  opflow::cli::registerRunCommand(app, context);
  opflow::cli::registerOrdersCommands(app, context);
  opflow::cli::registerAuditCommands(app, context);
  opflow::cli::registerRunsCommands(app, context);
  opflow::cli::registerBatchCommand(app, context);
  opflow::cli::registerUsersCommands(app, context);
  opflow::cli::registerSignCommand(app, context);
  opflow::cli::registerSyncCommands(app, context);
  opflow::cli::registerObserveCommands(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : opflow::cli::kExitUsage;
  }
  int exitCode = opflow::cli::finishOutput(context.exitCode);
  opflow::observe::stopLogging();
  return exitCode;
}
