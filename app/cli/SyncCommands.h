// `opflow-cli shared init`, `init --shared`, `sync`, `sync status` and
// `conflicts list|resolve`: joining a workstation database to the shop's shared database
// (an existing one, or a new one made from the shop), keeping the two in step, and the
// changes of this workstation the shared side did not apply.
// Thread-safety: single-threaded (sync --follow stops at SIGINT or SIGTERM).
#pragma once

#include "CliContext.h"

#include "opflow/store/LocalStore.h"

#include <iosfwd>
#include <string>

namespace opflow::cli {

void registerSyncCommands(CLI::App& app, CliContext& context);

// What `init --shared` is given.
struct InitSharedOptions {
  std::string target;
  std::string admin;
  std::string workstation;
};

// `init --shared TARGET --as ADMIN [--workstation NAME]`: makes a new workstation database
// joined to the shop and pulls the shop into it (its users, settings and orders); the
// admin is one of the shop's, checked against the users pulled. Anything refused or
// failed leaves no database behind.
[[nodiscard]] int initSharedCommand(const InitSharedOptions& options, const CliContext& context);

// Before an operation on order `number` in a joined database: a quick look (a few seconds
// at most) at the shared database takes the order's state there when it is later (see
// Synchronizer::takeCurrentOrder). Offline, or never joined, the operation works on this
// workstation's state; what stops the look is said on `err`, and nothing else changes.
void takeCurrentOrderBeforeMove(store::LocalStore& local, const std::string& number, std::ostream& err);

} // namespace opflow::cli
