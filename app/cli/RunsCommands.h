// The database-backed run commands: `signal`, `cancel`, `resume`, `decide`,
// `runs list` and `runs show`. Commands that move runs open an EngineSession (which
// recovers earlier processes' unfinished runs first) and act as --user, a user of the
// database whose role may do it (see Identity.h); `runs` only reads.
// Exit codes: 0 done, 2 bad input (unknown run, state or decision, malformed payload,
// missing or newer database, a user refused: nothing written but the refusal's audit
// entry), 3 a signalled run failed or was cancelled.
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"

namespace opflow::cli {

// Adds `signal`, `cancel`, `resume`, `decide` and `runs list|show`.
void registerRunsCommands(CLI::App& app, CliContext& context);

} // namespace opflow::cli
