// `opflow-cli audit list | verify | export`: read, check and export the audit chain.
// Every command reads on a read connection of the store, so it never blocks a writer.
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"

namespace opflow::cli {

// Adds `audit list|verify|export`.
void registerAuditCommands(CLI::App& app, CliContext& context);

} // namespace opflow::cli
