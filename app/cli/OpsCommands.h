// `opflow-cli ops validate | show | list`: check, print and list operation definitions.
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"

#include <string>
#include <vector>

namespace opflow::cli {

// Exit 0 when every file loads, 1 with one "FILE: /pointer: message" line per problem.
[[nodiscard]] int validateCommand(const std::vector<std::string>& paths);
// Formats: json, dot, mermaid.
[[nodiscard]] int showCommand(const std::string& nameOrFile, const std::string& format,
                              const std::vector<std::string>& load);
[[nodiscard]] int listCommand(bool json, const std::vector<std::string>& load);

// Adds `ops validate|show|list`.
void registerOpsCommands(CLI::App& app, CliContext& context);

} // namespace opflow::cli
