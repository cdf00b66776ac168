// `opflow-cli ops validate | show | list | load`: check, print or draw, list and store operation
// definitions.
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"

#include <string>
#include <vector>

namespace opflow::cli {

// Exit 0 when every file loads, 1 with one "FILE: /pointer: message" line per problem.
[[nodiscard]] int validateCommand(const std::vector<std::string>& paths);
struct ShowRequest {
  std::string target; // an operation name or a definition file
  std::string format = "json"; // json, dot, mermaid, svg, png
  std::string out;             // a file; empty: standard output
  double scale = 1.5;          // PNG pixels per point
  std::vector<std::string> load;
};

// Prints (or writes to request.out) the operation's latest version in `format`. A PNG is
// refused (exit 2) when it would go to a terminal; a definition that cannot be laid out
// or drawn exits 1 saying why.
[[nodiscard]] int showCommand(const ShowRequest& request);
[[nodiscard]] int listCommand(bool json, const std::vector<std::string>& load);

// Stores definitions in the database: exit 0, or 2 naming every refused file or version.
[[nodiscard]] int loadCommand(const std::vector<std::string>& paths, const CliContext& context);

// Adds `ops validate|show|list|load`.
void registerOpsCommands(CLI::App& app, CliContext& context);

} // namespace opflow::cli
