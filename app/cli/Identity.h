// Who acts through opflow-cli, and how they prove it.
//
// With a database, the commands that move runs (run, batch, signal, cancel, decide) act
// as a person of the users table who is signed in at this workstation (`opflow-cli login
// NAME`, password on stdin: one session per workstation, a new login ends the last):
// --user NAME (default: who is signed in) must be that user, enabled, and their role
// must allow the command; the role is theirs, and --role is refused. The commands that
// read (orders, runs, audit, users list) read as whoever is signed in, with the same
// role rules as the console (UserStore::authorize, AuditReader). A refusal says why on
// stderr, is audited ("user.refused") and exits 2. Without a database, `run` takes
// --role as before.
//
// Passwords come from stdin, one per line, never from arguments or the environment (so
// they stay out of shell history and process listings); at a terminal they are asked for
// without echo.
// Thread-safety: single-threaded.
#pragma once

#include "EngineSession.h"
#include "opflow/domain/Role.h"
#include "opflow/store/Signature.h"
#include "opflow/store/UserStore.h"

#include <iosfwd>
#include <optional>
#include <string>

namespace opflow::cli {

// The next line of stdin without its line end; nullopt at the end of input. At a
// terminal it prints `prompt` on stderr and reads without echo.
[[nodiscard]] std::optional<std::string> readPassword(const std::string& prompt);

// The actor of a database command: `user` (default: who is signed in at this workstation)
// from the users table, who must be signed in here (opflow-cli login), enabled and
// allowed `permission`. Nullopt after printing why (and auditing it) when refused, also
// when a role was claimed (the role comes from the users table).
[[nodiscard]] std::optional<engine::Actor> databaseActor(store::UserStore& users, const std::string& user,
                                                         const std::optional<std::string>& claimedRole,
                                                         domain::Permission permission, const std::string& command,
                                                         std::ostream& err);

// Who reads with a read command: whoever is signed in at this workstation, allowed
// `permission`. Nullopt after printing why (and auditing it) when refused.
[[nodiscard]] std::optional<store::User> databaseReader(store::LocalStore& store, domain::Permission permission,
                                                        const std::string& command, std::ostream& err);

// The value of an option that names a role nobody may claim, when it was given.
[[nodiscard]] std::optional<std::string> claimed(const CLI::Option* role);

// Signs what `signing` (an auth.sign run) asks for, as `credentials` at this workstation,
// delivers the signature to the run tree of `runId` and carries it on to its next wait
// or its end (feeding it `signals`, see EngineSession::carry). The signature, or why it
// was refused (PermissionDenied: by the password check, or by the run's own check) or
// not delivered.
[[nodiscard]] Result<store::Signature> signAndCarry(EngineSession& session, const engine::RunId& runId,
                                                    const engine::RunRecord& signing,
                                                    const store::Credentials& credentials,
                                                    std::deque<engine::PendingSignal>& signals);

} // namespace opflow::cli
