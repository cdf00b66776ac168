#include "AuditCommands.h"

#include "Output.h"

#include "opflow/AtomicFile.h"
#include "opflow/Text.h"
#include "opflow/store/AuditReader.h"
#include "opflow/store/UtcTime.h"
#include "opflow/sync/SharedAudit.h"
#include "opflow/sync/SharedTarget.h"
#include "opflow/sync/SyncState.h"

#include <fmt/format.h>

#include <iostream>
#include <optional>

namespace opflow::cli {

namespace {

// The filter options shared by `audit list` and `audit export`.
struct FilterOptions {
  std::string user;
  std::string action;
  std::string order;
  std::string correlation;
  std::string since;
  std::string until;
};

void addFilterOptions(CLI::App& command, FilterOptions& filters) {
  command.add_option("--user", filters.user, "Only entries by this user");
  command.add_option("--action", filters.action, "Only this action (run.started, order.status_changed, ...)");
  command.add_option("--order", filters.order, "Only entries about this order number");
  command.add_option("--correlation", filters.correlation, "Only entries with this correlation id");
  command.add_option("--since", filters.since, "From this time on (UTC: 2026-11-23T10:00:00Z, 2026-11-23 or ms)");
  command.add_option("--until", filters.until, "Before this time (exclusive; same forms as --since)");
}

// The query for the filters, or nullopt after printing why a time is malformed.
std::optional<store::AuditQuery> toQuery(const FilterOptions& filters) {
  store::AuditQuery query;
  query.user = filters.user;
  query.action = filters.action;
  query.orderNumber = filters.order;
  query.correlationId = filters.correlation;
  for (auto [option, text, target] : {std::tuple{"--since", &filters.since, &query.sinceMs},
                                      std::tuple{"--until", &filters.until, &query.untilMs}}) {
    if (text->empty()) {
      continue;
    }
    auto parsed = store::parseUtcTime(*text);
    if (!parsed) {
      std::cerr << fmt::format("opflow-cli: {}: {}\n", option, parsed.error().message);
      return std::nullopt;
    }
    *target = *parsed;
  }
  return query;
}

Json entryJson(const store::AuditEntry& entry) {
  Json json = store::toJson(entry);
  json["at"] = store::formatUtcMs(entry.atMs);
  return json;
}

// Fits a column: a long value is cut and ends in "~", so the table stays aligned; a
// control character is shown as an escape, so no value can move the cursor or fake a row.
std::string cell(const std::string& text, std::size_t width) {
  std::string safe = terminalSafe(text);
  if (safe.size() <= width) {
    return safe;
  }
  std::size_t cut = width - 1;
  while (cut > 0 && (static_cast<unsigned char>(safe[cut]) & 0xC0) == 0x80) {
    --cut; // not inside a character's bytes
  }
  safe.resize(cut);
  return safe + "~";
}

// The reader of this workstation's signed-in user.
store::AuditReaderIdentity signedIn() { return {"", workstationName()}; }

int listCommand(const CliContext& context, const FilterOptions& filters, std::size_t limit, std::int64_t after,
                bool json) {
  auto query = toQuery(filters);
  if (!query) {
    return kExitUsage;
  }
  query->limit = limit;
  query->afterSeq = after;
  auto store = context.openStore(StoreAccess::Read);
  if (!store) {
    return kExitUsage;
  }
  store::UserStore users(*store);
  auto entries = store::AuditReader(*store, users).list(signedIn(), *query);
  if (!entries) {
    return failed(entries.error());
  }
  if (json) {
    Json list = Json::array();
    for (const store::AuditEntry& entry : *entries) {
      list.push_back(entryJson(entry));
    }
    printJson(std::cout, Json{{"entries", std::move(list)}});
    return kExitOk;
  }
  if (entries->empty()) {
    std::cout << "no audit entries match\n";
    return kExitOk;
  }
  std::cout << fmt::format("{:>8}  {:<24}  {:<12}  {:<10}  {:<24}  {:<28}  {}\n", "SEQ", "AT (UTC)", "USER", "ROLE",
                           "ACTION", "SUBJECT", "ORDER");
  for (const store::AuditEntry& entry : *entries) {
    std::cout << fmt::format("{:>8}  {:<24}  {:<12}  {:<10}  {:<24}  {:<28}  {}\n", entry.seq,
                             store::formatUtcMs(entry.atMs), cell(entry.user, 12), cell(entry.role, 10),
                             cell(entry.action, 24), cell(entry.subjectType + " " + entry.subjectId, 28),
                             entry.orderNumber.empty() ? "-" : terminalSafe(entry.orderNumber));
  }
  std::cout << fmt::format("{} entr{}\n", entries->size(), entries->size() == 1 ? "y" : "ies");
  return kExitOk;
}

int verifyCommand(const CliContext& context) {
  auto store = context.openStore(StoreAccess::Read);
  if (!store) {
    return kExitUsage;
  }
  store::UserStore users(*store);
  auto verification = store::AuditReader(*store, users).verify(signedIn());
  if (!verification) {
    return failed(verification.error());
  }
  if (verification->chainIntact) {
    std::cout << fmt::format("audit chain intact: {} entries\n", verification->checked);
  } else {
    std::cout << fmt::format("audit chain broken at entry {} ({}): {}\n", verification->brokenSeq,
                             terminalSafe(verification->brokenId), terminalSafe(verification->reason));
    std::cout << fmt::format("{} entries before it verified\n", verification->checked);
  }
  if (verification->findingCount == 0) {
    std::cout << "database consistent with the chain: triggers, signatures, users, sessions and orders\n";
  } else {
    std::cout << fmt::format("the database disagrees with the chain in {} place(s):\n", verification->findingCount);
    for (const store::IntegrityFinding& finding : verification->findings) {
      std::cout << fmt::format("  {} {}: {}\n", finding.check, terminalSafe(finding.subject),
                               terminalSafe(finding.problem));
    }
    if (static_cast<std::int64_t>(verification->findings.size()) < verification->findingCount) {
      std::cout << fmt::format("  ... and {} more\n",
                               verification->findingCount - static_cast<std::int64_t>(verification->findings.size()));
    }
  }
  return verification->intact ? kExitOk : kExitInvalid;
}

// Every workstation's chain in the shared database this one joined.
int verifySharedCommand(const CliContext& context) {
  auto store = context.openStore(StoreAccess::Read);
  if (!store) {
    return kExitUsage;
  }
  store::UserStore users(*store);
  if (Status allowed = store::AuditReader(*store, users).mayReview(signedIn(), "audit verify --shared"); !allowed) {
    return failed(allowed.error());
  }
  auto state = sync::readSyncState(*store);
  if (!state) {
    return failed(state.error());
  }
  if (!*state) {
    std::cerr << "opflow-cli: this database has not joined a shared database: there is no shop to verify\n";
    return kExitUsage;
  }
  auto shared = sync::openSharedDatabase((*state)->shared, false);
  auto verification = shared ? sync::verifySharedAudit(**shared) : Result<sync::SharedAuditVerification>(shared.error());
  if (!verification) {
    if (verification.error().code == ErrorCode::Io) {
      std::cerr << "opflow-cli: offline: " << terminalSafe(verification.error().describe()) << "\n";
      return kExitOffline;
    }
    return failed(verification.error());
  }
  for (const sync::WorkstationChain& chain : verification->chains) {
    if (chain.intact) {
      std::cout << fmt::format("workstation {}: audit chain intact, {} entries\n", terminalSafe(chain.workstation),
                               chain.entries);
    } else {
      std::cout << fmt::format("workstation {}: audit chain broken at entry {} ({}): {} ({} entries before it "
                               "verified)\n",
                               terminalSafe(chain.workstation), chain.brokenSeq, terminalSafe(chain.brokenId),
                               terminalSafe(chain.reason), chain.entries);
    }
  }
  std::cout << fmt::format("{} workstation chain(s) in {}\n", verification->chains.size(),
                           terminalSafe((*shared)->describe()));
  return verification->intact() ? kExitOk : kExitInvalid;
}

int exportCommand(const CliContext& context, const FilterOptions& filters, const std::string& formatName,
                  const std::string& outPath) {
  auto query = toQuery(filters);
  if (!query) {
    return kExitUsage;
  }
  const auto format = formatName == "csv" ? store::AuditExportFormat::Csv : store::AuditExportFormat::JsonLines;
  auto store = context.openStore(StoreAccess::Read);
  if (!store) {
    return kExitUsage;
  }
  store::UserStore users(*store);
  store::AuditReader reader(*store, users);
  if (outPath.empty()) {
    if (Status written = reader.exportTo(signedIn(), *query, format, std::cout); !written) {
      return failed(written.error());
    }
    return kExitOk;
  }
  // A refusal leaves no file behind: the temporary file goes with it.
  Error refusal;
  Status written = writeFileAtomically(outPath, [&](std::ostream& out) {
    Status exported = reader.exportTo(signedIn(), *query, format, out);
    if (!exported) {
      refusal = exported.error();
    }
    return exported;
  });
  if (!written) {
    return failed(refusal.message.empty() ? written.error() : refusal);
  }
  return kExitOk;
}

} // namespace

void registerAuditCommands(CLI::App& app, CliContext& context) {
  CLI::App* audit = app.add_subcommand("audit", "List, verify and export the audit log");
  audit->require_subcommand(1);

  struct ListOptions {
    FilterOptions filters;
    std::size_t limit = 100;
    std::int64_t after = 0;
    bool json = false;
  };
  auto listOptions = std::make_shared<ListOptions>();
  CLI::App* list = audit->add_subcommand("list", "List audit entries in chain order");
  addFilterOptions(*list, listOptions->filters);
  list->add_option("--limit", listOptions->limit, "At most this many entries (0: all)")->capture_default_str();
  list->add_option("--after", listOptions->after, "Only entries after this seq (the next page)");
  list->add_flag("--json", listOptions->json, "Print {\"entries\": [...]}");
  list->callback([&context, listOptions] {
    context.exitCode =
        listCommand(context, listOptions->filters, listOptions->limit, listOptions->after, listOptions->json);
  });

  CLI::App* verify = audit->add_subcommand("verify", "Check the hash chain (exit 1 naming the first broken entry)");
  auto shop = std::make_shared<bool>(false);
  verify->add_flag("--shared", *shop,
                   "Verify every workstation's chain in the shared database this one joined (exit 1 naming the "
                   "workstation and entry of a break, 4 when it cannot be reached)");
  verify->callback([&context, shop] { context.exitCode = *shop ? verifySharedCommand(context) : verifyCommand(context); });

  struct ExportOptions {
    FilterOptions filters;
    std::string format;
    std::string out;
  };
  auto exportOptions = std::make_shared<ExportOptions>();
  CLI::App* exporting = audit->add_subcommand("export", "Write the matching entries as CSV or JSON lines");
  addFilterOptions(*exporting, exportOptions->filters);
  exporting->add_option("--format", exportOptions->format, "csv or jsonl")
      ->required()
      ->check(CLI::IsMember({"csv", "jsonl"}));
  exporting->add_option("--out", exportOptions->out, "Write to this file (atomically) instead of stdout");
  exporting->callback([&context, exportOptions] {
    context.exitCode =
        exportCommand(context, exportOptions->filters, exportOptions->format, exportOptions->out);
  });
}

} // namespace opflow::cli
