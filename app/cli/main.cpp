// opflow-cli: the headless face of Opflow. It links only the Qt-free core.
// Command names, options and JSON shapes are relied on by scripts: keep them stable.
#include "OpsCommands.h"
#include "RunCommand.h"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"Opflow: run and inspect operations declared as flowcharts", "opflow-cli"};
  app.require_subcommand(1);

  CLI::App* ops = app.add_subcommand("ops", "Validate, show and list operation definitions");
  ops->require_subcommand(1);

  std::vector<std::string> validatePaths;
  CLI::App* validate = ops->add_subcommand("validate", "Check definition files (exit 1 naming every problem)");
  validate->add_option("files", validatePaths, "Definition files or directories of *.json")->required();

  std::string showTarget;
  std::string showFormat = "json";
  std::vector<std::string> showLoad;
  CLI::App* show = ops->add_subcommand("show", "Print an operation as JSON, Graphviz DOT or Mermaid");
  show->add_option("operation", showTarget, "An operation name or a definition file")->required();
  show->add_option("--format", showFormat, "json, dot or mermaid")->check(CLI::IsMember({"json", "dot", "mermaid"}));
  show->add_option("--load", showLoad, "Extra definition files or directories");

  bool listJson = false;
  std::vector<std::string> listLoad;
  CLI::App* list = ops->add_subcommand("list", "List the built-in and loaded operations");
  list->add_flag("--json", listJson, "Print JSON");
  list->add_option("--load", listLoad, "Extra definition files or directories");

  opflow::cli::RunOptions runOptions;
  CLI::App* run = app.add_subcommand("run", "Run an operation to its end and print the outcome");
  run->add_option("operation", runOptions.operation, "An operation name or a definition file")->required();
  run->add_option("--load", runOptions.load, "Definition files or directories to load first (for calls)");
  run->add_option("--input", runOptions.inputs, "An input as KEY=VALUE (VALUE is JSON when it parses)");
  run->add_option("--inputs-json", runOptions.inputsJson, "All inputs as one JSON object");
  run->add_option("--user", runOptions.user, "Who runs it (default: $USER)");
  run->add_option("--role", runOptions.role, "operator, supervisor, manager or admin")->capture_default_str();
  run->add_option("--signal", runOptions.signals, "A signal NAME[=JSON] for the run's waits, in order");
  run->add_flag("--json", runOptions.json, "Print one JSON object");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }

  if (*validate) {
    return opflow::cli::validateCommand(validatePaths);
  }
  if (*show) {
    return opflow::cli::showCommand(showTarget, showFormat, showLoad);
  }
  if (*list) {
    return opflow::cli::listCommand(listJson, listLoad);
  }
  return opflow::cli::runCommand(runOptions);
}
