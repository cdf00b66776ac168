// `opflow-cli ops validate | show | list | load`: check, print, list and store operation definitions.
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

// Stores definitions in the database: exit 0, or 2 naming every refused file or version.
[[nodiscard]] int loadCommand(const std::vector<std::string>& paths, const CliContext& context);

// Adds `ops validate|show|list|load`.
void registerOpsCommands(CLI::App& app, CliContext& context);

} // namespace opflow::cli
