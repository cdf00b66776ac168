// `opflow-cli shared init`, `sync`, `sync status` and `conflicts list|resolve`: joining
// the workstation database to the shop's shared database, keeping the two in step, and
// the changes of this workstation the shared side did not apply.
// Thread-safety: single-threaded (sync --follow stops at SIGINT or SIGTERM).
#pragma once

#include "CliContext.h"

namespace opflow::cli {

void registerSyncCommands(CLI::App& app, CliContext& context);

} // namespace opflow::cli
