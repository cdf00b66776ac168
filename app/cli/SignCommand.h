// `opflow-cli sign RUN_ID --user NAME`: gives the electronic signature a run waits for.
// It finds the run, or the sub-run it waits on, that waits for the signal "signature"
// (an auth.sign run), reads what the signature means from that run's inputs, checks the
// password from stdin and records the signature (SignatureStore), then delivers its id to
// the run and carries the run on; it prints the run as `run` does.
// Exit codes: 0 signed (the run went on), 2 bad input (unknown run, a run that waits for
// no signature, no password on stdin, missing database), 3 refused (unknown user or
// wrong password, disabled user, a role that may not sign, or the run's own check
// refused the signature: the run keeps waiting).
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"

namespace opflow::cli {

void registerSignCommand(CLI::App& app, CliContext& context);

} // namespace opflow::cli
