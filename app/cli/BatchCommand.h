// `opflow-cli batch OPERATION --status S`: works an operation through every order in a
// status, the way a shift clears a queue ("price every submitted order"). Each order gets
// one run with input "order" = its number; orders that already have a run of the
// operation are skipped, so a batch stopped half-way (even killed) is simply started
// again: recovery first resumes the runs in flight, then the rest are started. The batch
// sleeps through its own runs' timer waits (a retry's backoff) and returns once each of
// them has ended or waits for a signal or a person; other runs of the database, waiting
// for days on a timeout, never keep it.
// The runs are started by --user, a user of the database, with their role (see Identity.h).
// Exit codes: 0 done (runs that failed or wait for a signal are counted, not errors),
// 2 bad input (unknown operation or status, missing database, a user refused), 3 the
// journal could not be written (the reason is said).
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"

namespace opflow::cli {

void registerBatchCommand(CLI::App& app, CliContext& context);

} // namespace opflow::cli
