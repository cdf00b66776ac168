#include "opflow/store/DefinitionStore.h"

#include "opflow/engine/CompiledOperation.h"
#include "opflow/model/DefinitionJson.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/Outbox.h"

#include <fmt/format.h>

#include <memory>

namespace opflow::store {

namespace {

struct Pending {
  std::string name;
  std::int64_t version = 0;
  std::string hash;
  std::string body;
};

Status insertDefinition(Database& db, const Pending& definition) {
  auto insert =
      db.prepare("INSERT INTO definitions (name, version, content_hash, body, loaded_at) VALUES (?, ?, ?, ?, ?)");
  if (!insert) {
    return insert.error();
  }
  (*insert)->bind(1, definition.name).bind(2, definition.version).bind(3, definition.hash);
  (*insert)->bind(4, definition.body).bind(5, db.nowMs());
  return (*insert)->run();
}

Json definitionState(const Pending& definition) {
  return Json{{"name", definition.name}, {"version", definition.version}, {"content_hash", definition.hash}};
}

} // namespace

std::string definitionSubject(std::string_view name, std::int64_t version) {
  return fmt::format("{} v{}", name, version);
}

Result<std::vector<DefinitionOutcome>> DefinitionStore::store(const std::vector<model::OperationDefinition>& definitions,
                                                              const engine::Actor& by) {
  auto pending = std::make_shared<std::vector<Pending>>();
  for (const model::OperationDefinition& definition : definitions) {
    pending->push_back(
        {definition.name, definition.version, engine::contentHashOf(definition), model::definitionToJson(definition).dump()});
  }
  auto outcomes = std::make_shared<std::vector<DefinitionOutcome>>();
  Status stored = m_store.writer().execute([pending, outcomes, by](Database& db) -> Status {
    std::vector<Problem> problems;
    for (const Pending& definition : *pending) {
      auto same = db.prepare("SELECT content_hash FROM definitions WHERE name = ? AND version = ?");
      if (!same) {
        return same.error();
      }
      (*same)->bind(1, definition.name).bind(2, definition.version);
      auto row = (*same)->step();
      if (!row) {
        return row.error();
      }
      if (*row) {
        if ((*same)->textView(0) != definition.hash) {
          problems.push_back({definition.name, fmt::format("\"{}\" v{} is stored already with other content: a changed "
                                                           "definition needs a higher version",
                                                           definition.name, definition.version)});
        } else {
          outcomes->push_back({definition.name, definition.version, false});
        }
        continue;
      }
      auto highest = db.prepare("SELECT max(version) FROM definitions WHERE name = ?");
      if (!highest) {
        return highest.error();
      }
      (*highest)->bind(1, definition.name);
      auto top = (*highest)->step();
      if (!top) {
        return top.error();
      }
      if (!(*highest)->isNull(0) && (*highest)->int64(0) >= definition.version) {
        problems.push_back({definition.name,
                            fmt::format("\"{}\" v{} is new but not higher than the stored v{}: a changed definition "
                                        "needs a higher version",
                                        definition.name, definition.version, (*highest)->int64(0))});
        continue;
      }
      if (Status done = insertDefinition(db, definition); !done) {
        return done;
      }
      AuditEntry entry;
      entry.user = by.user;
      entry.role = by.role;
      entry.workstation = by.workstation;
      entry.action = "definition.loaded";
      entry.subjectType = "definition";
      entry.subjectId = definitionSubject(definition.name, definition.version);
      entry.after = definitionState(definition);
      if (Status done = appendAudit(db, entry); !done) {
        return done;
      }
      // The shop's: every workstation joined to the shared database takes it.
      if (Status sent = appendOutbox(db, {"", "definition.loaded", entry.subjectId, std::nullopt,
                                          Json{{"definition", Json::parse(definition.body)},
                                               {"content_hash", definition.hash},
                                               {"change", {{"action", "definition.loaded"},
                                                           {"user", by.user},
                                                           {"role", by.role},
                                                           {"workstation", by.workstation}}}}});
          !sent) {
        return sent;
      }
      outcomes->push_back({definition.name, definition.version, true});
    }
    if (!problems.empty()) {
      return makeError(ErrorCode::Conflict,
                       fmt::format("{} definition(s) refused; nothing was stored", problems.size()), problems);
    }
    return {};
  });
  if (!stored) {
    return stored.error();
  }
  return std::move(*outcomes);
}

Result<bool> takeSharedDefinition(Database& db, const Json& body, const SharedOrderOrigin& origin,
                                  const OrderActor& sync) {
  auto definition = model::definitionFromText(body.dump());
  if (!definition) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("the shop's definition does not read: {}", definition.error().describe()));
  }
  const Pending pending{definition->name, definition->version, engine::contentHashOf(*definition),
                        model::definitionToJson(*definition).dump()};
  auto held = selectOne(
      db, "SELECT content_hash FROM definitions WHERE name = ? AND version = ?",
      [](const Statement& row) { return row.text(0); }, pending.name, pending.version);
  if (!held) {
    return held.error();
  }
  if (*held == pending.hash) {
    return false;
  }
  Json before = nullptr;
  if (*held) {
    // This workstation loaded other content under the version (its push is a conflict,
    // listed): the shop's replaces it unless a run here already ran it, whose record must
    // keep meaning what it ran.
    auto ran = selectOne(
        db, "SELECT count(*) FROM runs WHERE operation = ? AND version = ?",
        [](const Statement& row) { return row.int64(0); }, pending.name, pending.version);
    if (!ran) {
      return ran.error();
    }
    if (**ran > 0) {
      return false;
    }
    auto replace = db.prepare(
        "UPDATE definitions SET content_hash = ?, body = ?, loaded_at = ? WHERE name = ? AND version = ?");
    if (!replace) {
      return replace.error();
    }
    (*replace)->bind(1, pending.hash).bind(2, pending.body).bind(3, db.nowMs()).bind(4, pending.name);
    (*replace)->bind(5, pending.version);
    if (Status replaced = (*replace)->run(); !replaced) {
      return replaced.error();
    }
    before = Json{{"name", pending.name}, {"version", pending.version}, {"content_hash", **held}};
  } else if (Status inserted = insertDefinition(db, pending); !inserted) {
    return inserted.error();
  }
  AuditEntry entry = takenStateEntry(sync, origin, "definition", definitionSubject(pending.name, pending.version));
  entry.before = std::move(before);
  entry.after = definitionState(pending);
  entry.after["from"] = {{"workstation", origin.workstation}, {"user", origin.user}, {"event_id", origin.eventId}};
  if (Status audited = appendAudit(db, entry); !audited) {
    return audited.error();
  }
  return true;
}

Result<std::vector<StoredDefinition>> DefinitionStore::loadAll() const {
  auto reader = m_store.readers().acquire();
  if (!reader) {
    return reader.error();
  }
  auto statement =
      (*reader)->prepare("SELECT name, version, content_hash, body, loaded_at FROM definitions ORDER BY name, version");
  if (!statement) {
    return statement.error();
  }
  std::vector<StoredDefinition> result;
  while (true) {
    auto row = (*statement)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      break;
    }
    auto definition = model::definitionFromText((*statement)->textView(3));
    if (!definition) {
      return makeError(ErrorCode::Internal,
                       fmt::format("stored definition \"{}\" v{} no longer reads: {}", (*statement)->text(0),
                                   (*statement)->int64(1), definition.error().describe()));
    }
    result.push_back({std::move(definition).value(), (*statement)->text(2), (*statement)->int64(4)});
  }
  return result;
}

} // namespace opflow::store
