// `opflow-cli users add|list|disable|password-cost`, `login` and `logout`: the people of
// the workstation database. Passwords come from stdin, one per line (see Identity.h):
// `users add NAME --role R` reads the new password; with `--as ADMIN` (needed once the
// database has its first user, the bootstrap admin) the admin's password comes first.
// `users disable` and `users password-cost LEVEL` read the admin's password.
// Exit codes: 0 done, 2 bad input (unknown role or user, name taken, no password on
// stdin, missing database), 3 refused (not an admin, wrong password, disabled user).
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"

namespace opflow::cli {

// Adds `users add|list|disable|password-cost`, `login` and `logout`.
void registerUsersCommands(CLI::App& app, CliContext& context);

} // namespace opflow::cli
