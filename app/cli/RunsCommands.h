// The database-backed run commands: `signal`, `cancel`, `resume`, `decide`,
// `runs list` and `runs show`. Commands that move runs open an EngineSession (which
// recovers earlier processes' unfinished runs first); `runs` only reads.
// Exit codes: 0 done, 2 bad input (unknown run, state or decision, malformed payload,
// missing or newer database: nothing written), 3 a signalled run failed or was cancelled.
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"

namespace opflow::cli {

// Adds `signal`, `cancel`, `resume`, `decide` and `runs list|show`.
void registerRunsCommands(CLI::App& app, CliContext& context);

} // namespace opflow::cli
