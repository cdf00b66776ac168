// `opflow-cli run`: starts one run in synchronous mode, feeds it the signals given on the
// command line, and prints the outcome as text or as one JSON object.
// With a database (--db or $OPFLOW_DB) the run is journaled there: earlier processes'
// unfinished runs are recovered first, definitions from --load or FILE are stored, and the
// command returns when the run ends or parks in a wait (timer waits too, unless --wait);
// `signal`, `sign`, `resume` and `decide` carry it on later. The run is started by --user
// (default $USER), a user of the database whose role it takes (see Identity.h); where it
// waits for a signature and stdin has a password line, that user signs and the run goes
// on. Without a database, the run lives in memory, takes --role, and its timers are
// slept through. Inputs and signal payloads are bounded JSON (JsonBounds: depth, size,
// UTF-8); with a database a refusal of them is audited ("input.refused").
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"
#include "Definitions.h"
#include "EngineSession.h"
#include "opflow/engine/Engine.h"
#include "opflow/engine/RunRecord.h"

#include <deque>
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
  std::string role;                       // without a database; "operator" when not given
  std::optional<std::string> claimedRole; // --role given: refused with a database
  std::vector<std::string> signals; // NAME[=JSON]
  bool json = false;
  bool sleepThroughTimers = false; // --wait
};

// Exit code: 0 completed (or left waiting), 3 failed, cancelled or refused, 2 usage error.
[[nodiscard]] int runCommand(const RunOptions& options, const CliContext& context);
// The same exit code for a run as it stands: 0 completed, waiting or interrupted, 3 otherwise.
[[nodiscard]] int exitCodeOf(const engine::RunRecord& run);

// A run started with a database, as far as it went: the command's exit code, and the run
// when it was started and journaled.
struct CarriedRun {
  int exitCode = 0;
  std::optional<engine::RunRecord> run;
};

// How startAndCarry shows the run on stdout.
enum class RunPrint { Text, Json, Nothing };

// Starts `request` in `session` and carries it as far as it goes (the signals in order;
// where it asks for a signature and stdin has a password line, the request's user signs),
// then shows it as `print` says. What went wrong is said on stderr.
[[nodiscard]] CarriedRun startAndCarry(EngineSession& session, engine::StartRequest request,
                                       std::deque<engine::PendingSignal>& signals, bool sleepThroughTimers,
                                       RunPrint print);

// Adds `run`.
void registerRunCommand(CLI::App& app, CliContext& context);

// VALUE parsed as JSON when it parses, otherwise the text itself; InvalidInputs when it
// breaks the input limits (too deep or large, bytes that are not UTF-8).
[[nodiscard]] Result<Json> parseLooseValue(const std::string& text);

} // namespace opflow::cli
