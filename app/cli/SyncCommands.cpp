#include "SyncCommands.h"

#include "EngineSession.h"
#include "Identity.h"
#include "Output.h"
#include "RunCommand.h"

#include "opflow/store/UserStore.h"
#include "opflow/store/UtcTime.h"
#include "opflow/sync/SharedTarget.h"
#include "opflow/sync/SyncConflicts.h"
#include "opflow/sync/SyncLoop.h"
#include "opflow/sync/SyncState.h"
#include "opflow/sync/Synchronizer.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>

namespace opflow::cli {

namespace {

std::atomic<bool> g_stopRequested{false};

extern "C" void requestStop(int) { g_stopRequested.store(true); }

struct SharedInitOptions {
  std::string target;
  std::string admin;
  std::string workstation;
};

// The workstation's name in the shop: one line of 1 to 64 characters; nothing when it is
// not (the reason printed).
std::optional<std::string> workstationNameFrom(const std::string& given) {
  const std::string workstation = given.empty() ? workstationName() : given;
  if (auto fault = textFault(workstation); fault || workstation.empty() || workstation.size() > 64) {
    std::cerr << fmt::format("opflow-cli: --workstation \"{}\" is not a name: one line of 1 to 64 characters\n",
                             terminalSafe(workstation));
    return std::nullopt;
  }
  return workstation;
}

// How the workstation remembers its shared database, as every later `sync` will find it
// from whatever folder: a file by its absolute path, a server by its address, which must
// hold no password (printed, nothing when it holds one).
std::optional<std::string> rememberedTarget(const std::string& target) {
  if (!sync::isPostgresTarget(target)) {
    return std::filesystem::absolute(target).lexically_normal().string();
  }
  if (sync::redactedTarget(target) != target) {
    std::cerr << "opflow-cli: the shared database's address holds a password, which would be kept in this database: "
                 "give it through libpq instead (PGPASSWORD, ~/.pgpass or PGPASSFILE, a service file)\n";
    return std::nullopt;
  }
  return target;
}

int sharedInitCommand(const SharedInitOptions& options, const CliContext& context) {
  auto local = context.openStore(StoreAccess::Write);
  if (!local) {
    return kExitUsage;
  }
  store::UserStore users(*local);
  store::Requester requester{std::nullopt, workstationName(), ""};
  if (!options.admin.empty()) {
    auto password = readPassword(fmt::format("password of admin {}: ", options.admin));
    if (!password) {
      std::cerr << fmt::format("opflow-cli: no password for admin {} on stdin\n", terminalSafe(options.admin));
      return kExitUsage;
    }
    requester.credentials = store::Credentials{options.admin, *password};
  }
  const auto shown = rememberedTarget(options.target);
  const auto workstation = workstationNameFrom(options.workstation);
  if (!shown || !workstation) {
    return kExitUsage;
  }
  auto admin = users.requireAdmin(requester, "shared init", "shared_database", *shown);
  if (!admin) {
    if (admin.error().code != ErrorCode::PermissionDenied) {
      return failed(admin.error());
    }
    // As for the other commands an admin's password opens (users add): refused, exit 3.
    std::cerr << "opflow-cli: " << terminalSafe(admin.error().describe()) << "\n";
    return kExitFailed;
  }
  auto shared = sync::openSharedDatabase(*shown, true);
  if (!shared) {
    return failed(shared.error());
  }
  if (Status joined = sync::joinShared(*local, **shared, *shown, *workstation, *admin); !joined) {
    return failed(joined.error());
  }
  auto state = sync::readSyncState(*local);
  if (!state || !*state) {
    return failed(state ? makeError(ErrorCode::Internal, "the join was not recorded") : state.error());
  }
  std::cout << fmt::format("joined {} as workstation \"{}\": {} events wait to go up (`opflow-cli sync`)\n", *shown,
                           *workstation, (*state)->outboxPending);
  return kExitOk;
}

// Removes a database `init --shared` made, with its journal files.
void removeDatabase(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

// Joins the new database `local` and pulls the shop into it; the admin must be one of the
// shop's. The error when it cannot.
Result<sync::SyncReport> joinAndPull(store::LocalStore& local, const InitSharedOptions& options,
                                     const std::string& target, const std::string& workstation,
                                     const std::string& password) {
  auto shared = sync::openSharedDatabase(target, false);
  if (!shared) {
    return shared.error();
  }
  // The join is recorded by the admin it names, who is checked once the shop's users are
  // here; a refusal removes the whole database.
  const store::User admin{options.admin, domain::Role::Admin, false, 0, 0};
  if (Status joined = sync::joinShared(local, **shared, target, workstation, admin); !joined) {
    return joined.error();
  }
  auto pulled = sync::Synchronizer(local, **shared, workstation).pull();
  if (!pulled) {
    return pulled.error();
  }
  store::UserStore users(local);
  auto checked = users.authenticate({options.admin, password});
  if (!checked) {
    return checked.error();
  }
  if (!checked->ok() || checked->user->role != domain::Role::Admin || checked->user->disabled) {
    return makeError(ErrorCode::PermissionDenied,
                     fmt::format("\"{}\" with that password is not an enabled admin of the shop", options.admin));
  }
  return pulled;
}

Json reportJson(const sync::SyncReport& report, const char* state) {
  return Json{{"pushed", report.pushed},         {"pulled", report.pulled},     {"conflicts", report.conflicts},
              {"duplicates", report.duplicates}, {"resent", report.resent},     {"refused", report.refused},
              {"state", state}};
}

void printReport(const sync::SyncReport& report, const char* state, bool json) {
  if (json) {
    printJson(std::cout, reportJson(report, state));
    return;
  }
  std::cout << fmt::format("{}: pushed {}, pulled {}, conflicts {}{}{}\n", state, report.pushed, report.pulled,
                           report.conflicts, report.refused == 0 ? "" : fmt::format(", refused {}", report.refused),
                           report.resent == 0 ? "" : fmt::format(", sent again {}", report.resent));
}

// What `sync --follow` prints: each round that moved something, and each try that found
// the shared database unreachable.
class FollowPrinter final : public sync::SyncListener {
public:
  explicit FollowPrinter(bool json) : m_json(json) {}

  void onSyncStatus(const sync::SyncStatus&) override {}
  void onSyncRound(const sync::SyncRound& round) override {
    if (round.error.empty()) {
      printReport(round.report, "online", m_json);
      std::cout.flush();
    } else if (round.offline) {
      std::cerr << "opflow-cli: offline: " << terminalSafe(round.error) << "\n";
    }
  }

private:
  bool m_json;
};

// Opens the shared database a joined workstation remembers; unreachable is offline.
Result<std::unique_ptr<sync::SharedDatabase>> openJoined(const sync::SyncState& state) {
  auto shared = sync::openSharedDatabase(state.shared, false);
  if (!shared && shared.error().code == ErrorCode::Io) {
    return makeError(ErrorCode::Unavailable, shared.error().message);
  }
  return shared;
}

// One round: push and pull until both are drained.
Result<sync::SyncReport> syncRound(store::LocalStore& local, const sync::SyncState& state) {
  auto shared = openJoined(state);
  if (!shared) {
    return shared.error();
  }
  sync::Synchronizer synchronizer(local, **shared, state.workstation);
  return synchronizer.once();
}

int syncCommand(bool follow, bool json, const CliContext& context) {
  auto local = context.openStore(StoreAccess::Write);
  if (!local) {
    return kExitUsage;
  }
  auto state = sync::readSyncState(*local);
  if (!state) {
    return failed(state.error());
  }
  if (!*state) {
    std::cerr << "opflow-cli: this database has not joined a shared database (`opflow-cli shared init TARGET --as "
                 "ADMIN`)\n";
    return kExitUsage;
  }
  if (!follow) {
    auto report = syncRound(*local, **state);
    if (!report) {
      const bool offline = report.error().code == ErrorCode::Unavailable;
      printReport({}, offline ? "offline" : "failed", json);
      if (!offline) {
        return failed(report.error());
      }
      std::cerr << "opflow-cli: offline: " << terminalSafe(report.error().describe()) << "\n";
      return kExitOffline;
    }
    printReport(*report, "online", json);
    if (report->refused > 0) {
      // Refused for good (a broken audit chain, a payload the shared side cannot read):
      // a person must look, so the exit says so.
      std::cerr << fmt::format("opflow-cli: the shared database refused {} event(s): see `opflow-cli sync status`\n",
                               report->refused);
      return kExitFailed;
    }
    return kExitOk;
  }
  // Until SIGINT or SIGTERM; a round in hand is finished first. Offline, it says so at
  // each try and tries again (SyncLoop).
  std::signal(SIGINT, requestStop);
  std::signal(SIGTERM, requestStop);
  FollowPrinter printer(json);
  sync::SyncLoop loop(*local, printer);
  if (Status followed = loop.run([] { return g_stopRequested.load(); }); !followed) {
    return failed(followed.error());
  }
  return kExitOk;
}

int statusCommand(bool json, const CliContext& context) {
  auto local = context.openStore(StoreAccess::Read);
  if (!local) {
    return kExitUsage;
  }
  auto state = sync::readSyncState(*local);
  if (!state) {
    return failed(state.error());
  }
  if (!*state) {
    if (json) {
      printJson(std::cout, Json{{"workstation", nullptr}, {"shared", nullptr}, {"state", "not joined"}});
    } else {
      std::cout << "not joined to a shared database: this workstation works on its own\n";
    }
    return kExitOk;
  }
  const sync::SyncState& s = **state;
  auto reachable = sync::openSharedDatabase(s.shared, false);
  const char* reach = reachable ? "online" : "offline";
  const Json oldest = s.oldestPendingMs ? Json((store::nowMs() - *s.oldestPendingMs) / 1000) : Json(nullptr);
  const Json contact = s.lastContactMs ? Json(store::formatUtcMs(*s.lastContactMs)) : Json(nullptr);
  if (json) {
    printJson(std::cout, Json{{"workstation", s.workstation},
                              {"shared", s.shared},
                              {"state", reach},
                              {"outbox_pending", s.outboxPending},
                              {"oldest_pending_s", oldest},
                              {"last_contact", contact},
                              {"pushed", s.pushed},
                              {"pulled", s.pulled},
                              {"conflicts_open", s.conflictsOpen},
                              {"refused", s.refused}});
    return kExitOk;
  }
  std::cout << fmt::format("workstation {} of {}: {}\n", terminalSafe(s.workstation), terminalSafe(s.shared), reach);
  std::cout << fmt::format("waiting to go up: {}{}\n", s.outboxPending,
                           oldest.is_null() ? "" : fmt::format(" (oldest {} s)", oldest.get<std::int64_t>()));
  std::cout << fmt::format("pushed {}, pulled {}, open conflicts {}, refused {}, last contact {}\n", s.pushed,
                           s.pulled, s.conflictsOpen, s.refused, contact.is_null() ? "never" : contact.get<std::string>());
  return kExitOk;
}

Json conflictJson(const sync::SyncConflict& conflict) {
  // Who made the change and how: an order, user, setting or definition change says it
  // under "change"; an audit entry is its own.
  const Json& payload = conflict.change;
  const Json change = payload.is_object() ? payload.value("change", payload) : Json::object();
  const auto optionalText = [](const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); };
  return Json{{"id", conflict.id},
              {"kind", conflict.kind},
              {"subject", conflict.subject},
              {"order", optionalText(conflict.orderNumber)},
              {"run_id", optionalText(conflict.runId)},
              {"local_version", conflict.localVersion ? Json(*conflict.localVersion) : Json(nullptr)},
              {"shared_version", conflict.sharedVersion ? Json(*conflict.sharedVersion) : Json(nullptr)},
              {"event", conflict.eventId},
              {"outcome", conflict.outcome},
              {"reason", conflict.reason},
              {"by", change.value("user", "")},
              {"action", change.value("action", "")},
              {"created_at", store::formatUtcMs(conflict.createdAtMs)},
              {"resolved_at", conflict.resolvedAtMs ? Json(store::formatUtcMs(*conflict.resolvedAtMs)) : Json(nullptr)},
              {"resolved_by", optionalText(conflict.resolvedBy)},
              {"resolution", optionalText(conflict.resolution)},
              {"run_started", optionalText(conflict.runStarted)}};
}

int conflictsListCommand(bool all, bool json, const CliContext& context) {
  auto local = context.openStore(StoreAccess::Read);
  if (!local) {
    return kExitUsage;
  }
  if (!databaseReader(*local, domain::Permission::Read, "conflicts list", std::cerr)) {
    return kExitUsage;
  }
  auto conflicts = sync::listConflicts(*local, !all);
  if (!conflicts) {
    return failed(conflicts.error());
  }
  if (json) {
    Json list = Json::array();
    for (const sync::SyncConflict& conflict : *conflicts) {
      list.push_back(conflictJson(conflict));
    }
    printJson(std::cout, Json{{"conflicts", std::move(list)}});
    return kExitOk;
  }
  if (conflicts->empty()) {
    std::cout << (all ? "no conflicts\n" : "no open conflicts\n");
    return kExitOk;
  }
  for (const sync::SyncConflict& conflict : *conflicts) {
    const Json shown = conflictJson(conflict);
    std::cout << fmt::format("#{} {} {} by {}: {}{}\n", conflict.id, terminalSafe(conflict.subject),
                             terminalSafe(shown["action"].get<std::string>()),
                             terminalSafe(shown["by"].get<std::string>()), terminalSafe(conflict.reason),
                             conflict.resolvedAtMs ? fmt::format(" (resolved by {})", terminalSafe(conflict.resolvedBy))
                                                   : std::string());
  }
  return kExitOk;
}

// This workstation's name in the shop (the host's when it never joined one).
std::string shopWorkstation(store::LocalStore& local) {
  auto state = sync::readSyncState(local);
  return state && *state ? (*state)->workstation : workstationName();
}

int keepSharedCommand(std::int64_t id, bool json, const CliContext& context) {
  auto local = context.openStore(StoreAccess::Write);
  if (!local) {
    return kExitUsage;
  }
  auto supervisor = databaseReader(*local, domain::Permission::Supervise, "conflicts resolve", std::cerr);
  if (!supervisor) {
    return kExitUsage;
  }
  auto resolved = sync::keepSharedState(*local, id, *supervisor, shopWorkstation(*local));
  if (!resolved) {
    return failed(resolved.error());
  }
  if (json) {
    printJson(std::cout, conflictJson(*resolved));
  } else {
    std::cout << fmt::format("conflict {} resolved: the shared state of {} is kept\n", id,
                             terminalSafe(resolved->subject));
  }
  return kExitOk;
}

// Redoes the change of conflict `id` on the shared state the order has here now: the run
// that made it, started again (its operation, version and inputs) by the supervisor
// signed in here, who signs where it asks. Resolved once that run completes; otherwise the
// conflict stays open and the run says why.
int keepMineCommand(std::int64_t id, bool json, const CliContext& context) {
  auto session = EngineSession::open(context, "conflicts resolve", std::cerr);
  if (!session) {
    return kExitUsage;
  }
  auto supervisor = databaseReader(session->store(), domain::Permission::Supervise, "conflicts resolve", std::cerr);
  if (!supervisor) {
    return kExitUsage;
  }
  auto conflict = sync::openConflict(session->store(), id);
  if (!conflict) {
    return failed(conflict.error());
  }
  if (conflict->kind != "order.changed" || conflict->runId.empty()) {
    std::cerr << fmt::format("opflow-cli: conflict {} ({} of {}) was not made by a run, so there is nothing to start "
                             "again: keep the shared state (--keep shared) and make the change again by hand\n",
                             id, terminalSafe(conflict->kind), terminalSafe(conflict->subject));
    return kExitUsage;
  }
  auto original = session->runs().loadRun(engine::RunId(conflict->runId));
  if (!original) {
    std::cerr << fmt::format("opflow-cli: run {} of conflict {} is not in this database\n",
                             terminalSafe(conflict->runId), id);
    return kExitFailed;
  }
  if (!session->recover(std::cerr)) {
    return kExitFailed;
  }
  takeCurrentOrderBeforeMove(session->store(), conflict->orderNumber, std::cerr);
  const std::string workstation = shopWorkstation(session->store());
  engine::RunContext redo{supervisor->name, std::string(domain::toString(supervisor->role)), workstation, {}, {}, {}};
  std::deque<engine::PendingSignal> noSignals;
  CarriedRun carried = startAndCarry(*session, {original->operation, original->version, original->inputs, redo},
                                     noSignals, false, json ? RunPrint::Nothing : RunPrint::Text);
  if (!carried.run || carried.run->state != engine::RunState::Completed) {
    std::cerr << fmt::format("opflow-cli: conflict {} stays open: the change was not made again{}\n", id,
                             carried.run ? fmt::format(" (run {} is {})", carried.run->id.str(),
                                                       engine::toString(carried.run->state))
                                         : std::string());
    return carried.exitCode != kExitOk ? carried.exitCode : kExitFailed;
  }
  auto resolved = sync::keepMine(session->store(), id, *supervisor, workstation, carried.run->id.str(),
                                 carried.run->context.correlationId);
  if (!resolved) {
    // The change is made again all the same (another supervisor resolved it meanwhile).
    std::cerr << fmt::format("opflow-cli: run {} made the change again, but the conflict was not marked resolved:\n",
                             carried.run->id.str());
    return failed(resolved.error());
  }
  if (json) {
    printJson(std::cout, conflictJson(*resolved));
  } else {
    std::cout << fmt::format("conflict {} resolved: the change to {} is made again by run {}; it goes up with the next "
                             "sync\n",
                             id, terminalSafe(resolved->subject), carried.run->id.str());
  }
  return kExitOk;
}

} // namespace

void takeCurrentOrderBeforeMove(store::LocalStore& local, const std::string& number, std::ostream& err) {
  constexpr std::chrono::seconds kQuickLook{2};
  auto state = sync::readSyncState(local);
  if (!state || !*state) {
    return;
  }
  const auto offline = [&](const Error& error) {
    err << fmt::format("opflow-cli: working on this workstation's state of {}, since the shop's could not be read "
                       "({}); the change goes up with the next sync\n",
                       terminalSafe(number), terminalSafe(error.message));
  };
  auto shared = sync::openSharedDatabase((*state)->shared, false, kQuickLook);
  if (!shared) {
    offline(shared.error());
    return;
  }
  sync::Synchronizer synchronizer(local, **shared, (*state)->workstation);
  if (auto taken = synchronizer.takeCurrentOrder(number); !taken) {
    offline(taken.error());
  }
}

void registerSyncCommands(CLI::App& app, CliContext& context) {
  CLI::App* shared = app.add_subcommand("shared", "Create the shop's shared database and join this workstation to it");
  shared->require_subcommand(1);
  auto initOptions = std::make_shared<SharedInitOptions>();
  CLI::App* init = shared->add_subcommand(
      "init", "Create (or migrate) the shared database TARGET and join this database to it (an admin's, password on "
              "stdin); its whole history goes up with the next sync");
  init->add_option("target", initOptions->target,
                   "The shared database: a file path, or a PostgreSQL URL or connection string without a password")
      ->required();
  init->add_option("--as", initOptions->admin, "The admin who joins it")->required();
  init->add_option("--workstation", initOptions->workstation,
                   "This database's name in the shop (default: the host name; several can live on one machine)");
  init->callback([&context, initOptions] { context.exitCode = sharedInitCommand(*initOptions, context); });

  struct SyncOptions {
    bool once = false;
    bool follow = false;
    bool json = false;
  };
  auto syncOptions = std::make_shared<SyncOptions>();
  CLI::App* syncCmd = app.add_subcommand(
      "sync", "Push what this workstation did and pull what the others did (exit 4, nothing lost, when the shared "
              "database cannot be reached)");
  CLI::Option* once = syncCmd->add_flag("--once", syncOptions->once, "Until both ways are drained, then exit (the default)");
  syncCmd->add_flag("--follow", syncOptions->follow, "Keep syncing until SIGINT or SIGTERM")->excludes(once);
  syncCmd->add_flag("--json", syncOptions->json, "Print {\"pushed\", \"pulled\", \"conflicts\", \"state\", ...}");
  syncCmd->callback([&context, syncOptions, syncCmd] {
    if (syncCmd->get_subcommands().empty()) {
      context.exitCode = syncCommand(syncOptions->follow, syncOptions->json, context);
    }
  });
  auto statusJson = std::make_shared<bool>(false);
  CLI::App* status = syncCmd->add_subcommand("status", "The shared database, what waits to go up, last contact");
  status->add_flag("--json", *statusJson, "Print the status as JSON");
  status->callback([&context, statusJson] { context.exitCode = statusCommand(*statusJson, context); });

  CLI::App* conflicts = app.add_subcommand("conflicts", "Changes of this workstation the shared database did not apply");
  conflicts->require_subcommand(1);
  struct ListOptions {
    bool all = false;
    bool json = false;
  };
  auto listOptions = std::make_shared<ListOptions>();
  CLI::App* list = conflicts->add_subcommand("list", "The open conflicts (with --all, the resolved ones too)");
  list->add_flag("--all", listOptions->all, "Also the resolved ones");
  list->add_flag("--json", listOptions->json, "Print {\"conflicts\": [...]}");
  list->callback([&context, listOptions] {
    context.exitCode = conflictsListCommand(listOptions->all, listOptions->json, context);
  });
  struct ResolveOptions {
    std::int64_t id = 0;
    std::string keep;
    bool json = false;
  };
  auto resolveOptions = std::make_shared<ResolveOptions>();
  CLI::App* resolve = conflicts->add_subcommand("resolve", "Resolve a conflict (a supervisor's, signed in here; audited)");
  resolve->add_option("id", resolveOptions->id, "The conflict's id")->required();
  resolve->add_option("--keep", resolveOptions->keep,
                      "shared: keep the shared state; mine: start the run that made the change again on it (signing "
                      "where it asks: the password on stdin)")
      ->required()
      ->check(CLI::IsMember({"shared", "mine"}));
  resolve->add_flag("--json", resolveOptions->json, "Print the resolved conflict as JSON");
  resolve->callback([&context, resolveOptions] {
    context.exitCode = resolveOptions->keep == "mine" ? keepMineCommand(resolveOptions->id, resolveOptions->json, context)
                                                      : keepSharedCommand(resolveOptions->id, resolveOptions->json, context);
  });
}

int initSharedCommand(const InitSharedOptions& options, const CliContext& context) {
  const std::string path = context.databasePath();
  std::error_code ignored;
  if (std::filesystem::exists(path, ignored)) {
    std::cerr << fmt::format("opflow-cli: {} exists already: `init --shared` makes a new workstation database "
                             "(`opflow-cli shared init` joins an existing one)\n",
                             terminalSafe(path));
    return kExitUsage;
  }
  const auto target = rememberedTarget(options.target);
  const auto workstation = workstationNameFrom(options.workstation);
  if (!target || !workstation) {
    return kExitUsage;
  }
  auto password = readPassword(fmt::format("password of the shop's admin {}: ", options.admin));
  if (!password) {
    std::cerr << fmt::format("opflow-cli: no password for admin {} on stdin\n", terminalSafe(options.admin));
    return kExitUsage;
  }
  auto local = context.openStore(StoreAccess::Create);
  if (!local) {
    removeDatabase(path);
    return kExitUsage;
  }
  auto report = joinAndPull(*local, options, *target, *workstation, *password);
  local.reset();
  if (!report) {
    removeDatabase(path);
    if (report.error().code == ErrorCode::Io || report.error().code == ErrorCode::Unavailable) {
      std::cerr << "opflow-cli: offline: " << terminalSafe(report.error().describe()) << "\n";
      return kExitOffline;
    }
    if (report.error().code == ErrorCode::PermissionDenied) {
      std::cerr << "opflow-cli: " << terminalSafe(report.error().describe()) << "\n";
      return kExitFailed;
    }
    return failed(report.error());
  }
  std::cout << fmt::format("workstation \"{}\" of {} is ready at {}: {} changes of the shop pulled\n",
                           terminalSafe(*workstation), terminalSafe(*target), terminalSafe(path), report->pulled);
  return kExitOk;
}

} // namespace opflow::cli
