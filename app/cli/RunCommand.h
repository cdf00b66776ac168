// `opflow-cli run`: starts one run in synchronous mode against an in-memory store, feeds
// it the signals given on the command line, sleeps through its timers, and prints the
// outcome as text or as one JSON object.
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"
#include "Definitions.h"

#include <optional>
#include <string>
#include <vector>

namespace opflow::cli {

struct RunOptions {
  std::string operation; // a name or a definition file
  std::vector<std::string> load;
  std::vector<std::string> inputs;  // KEY=VALUE
  std::string inputsJson;
  std::string user;
  std::string role = "operator";
  std::vector<std::string> signals; // NAME[=JSON]
  bool json = false;
};

// Exit code: 0 completed (or left waiting), 3 failed, cancelled or refused, 2 usage error.
[[nodiscard]] int runCommand(const RunOptions& options);

// Adds `run`.
void registerRunCommand(CLI::App& app, CliContext& context);

// VALUE parsed as JSON when it parses, otherwise the text itself.
[[nodiscard]] Json parseLooseValue(const std::string& text);

} // namespace opflow::cli
