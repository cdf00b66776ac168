// opflow-cli's observability commands: `logs` (the log beside the database, by correlation
// id or run), `metrics` (RED metrics from the journal, Prometheus text or JSON) and
// `traces export` (the journal as OTLP/JSON traces).
// Thread-safety: single-threaded, as every command.
#pragma once

#include "CliContext.h"

#include <CLI/CLI.hpp>

namespace opflow::cli {

void registerObserveCommands(CLI::App& app, CliContext& context);

} // namespace opflow::cli
