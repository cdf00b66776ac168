#include "opflow/store/SharedUsers.h"

#include "opflow/store/AuditLog.h"
#include "opflow/store/Outbox.h"
#include "opflow/store/Settings.h"
#include "opflow/store/UserStore.h"

#include <fmt/format.h>

#include <algorithm>

namespace opflow::store {

namespace {

constexpr std::string_view kUserColumns = "name, role, password_hash, disabled, created_at, updated_at";

SharedUser readUser(const Statement& row) {
  return SharedUser{row.text(0), domain::parseRole(row.textView(1)).value(), row.int64(3) != 0, row.text(2),
                    row.int64(4), row.int64(5)};
}

Json userJson(const SharedUser& user) {
  return Json{{"name", user.name},
              {"role", domain::toString(user.role)},
              {"disabled", user.disabled},
              {"password_hash", user.passwordHash},
              {"created_at", user.createdAtMs},
              {"updated_at", user.updatedAtMs}};
}

Error wrongField(const char* field, const char* what) {
  return makeError(ErrorCode::InvalidArgument, fmt::format("the user's \"{}\" must be {}", field, what));
}

Status auditTaken(Database& db, const OrderActor& sync, const SharedOrderOrigin& origin, const char* subjectType,
                  const std::string& subjectId, Json before, Json after) {
  AuditEntry entry = takenStateEntry(sync, origin, subjectType, subjectId);
  entry.before = std::move(before);
  after["from"] = {{"workstation", origin.workstation}, {"user", origin.user}, {"event_id", origin.eventId}};
  entry.after = std::move(after);
  return appendAudit(db, entry);
}

} // namespace

Result<SharedUser> sharedUserFromJson(const Json& json) {
  if (!json.is_object()) {
    return makeError(ErrorCode::InvalidArgument, "a user must be an object");
  }
  SharedUser user;
  const auto text = [&json](const char* field) -> const std::string* {
    auto found = json.find(field);
    return found != json.end() && found->is_string() ? &found->get_ref<const std::string&>() : nullptr;
  };
  const auto integer = [&json](const char* field) -> std::optional<std::int64_t> {
    auto found = json.find(field);
    if (found == json.end() || !found->is_number_integer() || found->get<std::int64_t>() < 0) {
      return std::nullopt;
    }
    return found->get<std::int64_t>();
  };
  const std::string* name = text("name");
  if (name == nullptr || name->empty() || name->size() > 200) {
    return wrongField("name", "a name of 1 to 200 bytes");
  }
  user.name = *name;
  const std::string* role = text("role");
  auto parsed = role != nullptr ? domain::parseRole(*role) : Result<domain::Role>(wrongField("role", "a role"));
  if (!parsed) {
    return wrongField("role", "operator, supervisor, manager or admin");
  }
  user.role = *parsed;
  auto disabled = json.find("disabled");
  if (disabled == json.end() || !disabled->is_boolean()) {
    return wrongField("disabled", "true or false");
  }
  user.disabled = disabled->get<bool>();
  const std::string* hash = text("password_hash");
  if (hash == nullptr || !hash->starts_with("$argon2")) {
    return wrongField("password_hash", "an argon2 hash");
  }
  user.passwordHash = *hash;
  auto created = integer("created_at");
  auto updated = integer("updated_at");
  if (!created || !updated) {
    return wrongField("created_at", "a time, as is \"updated_at\"");
  }
  user.createdAtMs = *created;
  user.updatedAtMs = *updated;
  return user;
}

bool isSharedSetting(std::string_view key) {
  return key == UserStore::kPasswordCostKey || key == UserStore::kMinPasswordLengthKey ||
         key == UserStore::kSessionIdleMinutesKey;
}

Status publishUser(Database& db, const std::string& name, const std::string& action, const std::string& by) {
  auto user = selectOne(db, fmt::format("SELECT {} FROM users WHERE name = ?", kUserColumns), readUser, name);
  if (!user) {
    return user.error();
  }
  if (!*user) {
    return makeError(ErrorCode::Internal, fmt::format("user \"{}\" is not there to send", name));
  }
  return appendOutbox(db, {"", "user.changed", (*user)->name, std::nullopt,
                           Json{{"user", userJson(**user)}, {"change", {{"action", action}, {"user", by}}}}});
}

Status publishSetting(Database& db, std::string_view key, const Json& value, const std::string& by) {
  if (!isSharedSetting(key)) {
    return {};
  }
  return appendOutbox(db, {"", "setting.changed", std::string(key), std::nullopt,
                           Json{{"key", key}, {"value", value}, {"change", {{"action", "settings.changed"}, {"user", by}}}}});
}

Result<bool> takeSharedUser(Database& db, const SharedUser& user, const SharedOrderOrigin& origin,
                            const OrderActor& sync) {
  auto current = selectOne(db, fmt::format("SELECT {} FROM users WHERE name = ?", kUserColumns), readUser, user.name);
  if (!current) {
    return current.error();
  }
  Json before = nullptr;
  if (*current) {
    const SharedUser& here = **current;
    if (here.role == user.role && here.disabled == user.disabled && here.passwordHash == user.passwordHash) {
      return false;
    }
    before = Json{{"name", here.name}, {"role", domain::toString(here.role)}, {"disabled", here.disabled}};
  }
  auto upsert = db.prepare(
      "INSERT INTO users (name, role, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, "
      "disabled = excluded.disabled, updated_at = max(users.updated_at, excluded.updated_at)");
  if (!upsert) {
    return upsert.error();
  }
  (*upsert)->bind(1, user.name).bind(2, domain::toString(user.role)).bind(3, user.passwordHash);
  (*upsert)->bind(4, user.disabled ? 1 : 0).bind(5, user.createdAtMs).bind(6, user.updatedAtMs);
  if (Status written = (*upsert)->run(); !written) {
    return written.error();
  }
  std::int64_t sessionsEnded = 0;
  if (user.disabled) {
    // Sessions name the user as this database spells them.
    const std::string& here = *current ? (*current)->name : user.name;
    auto end = db.prepare("UPDATE user_sessions SET ended_at = ? WHERE user_name = ? AND ended_at IS NULL");
    if (!end) {
      return end.error();
    }
    (*end)->bind(1, db.nowMs()).bind(2, here);
    if (Status ended = (*end)->run(); !ended) {
      return ended.error();
    }
    sessionsEnded = db.changes();
  }
  if (Status audited = auditTaken(db, sync, origin, "user", user.name, std::move(before),
                                  Json{{"name", user.name},
                                       {"role", domain::toString(user.role)},
                                       {"disabled", user.disabled},
                                       {"sessions_ended", sessionsEnded}});
      !audited) {
    return audited.error();
  }
  return true;
}

Result<bool> takeSharedSetting(Database& db, const std::string& key, const Json& value,
                               const SharedOrderOrigin& origin, const OrderActor& sync) {
  if (!isSharedSetting(key)) {
    return makeError(ErrorCode::InvalidArgument, fmt::format("\"{}\" is not a setting of the shop", key));
  }
  auto before = readSetting(db, key);
  if (!before) {
    return before.error();
  }
  if (*before && **before == value) {
    return false;
  }
  if (Status written = writeSetting(db, key, value); !written) {
    return written.error();
  }
  if (Status audited = auditTaken(db, sync, origin, "setting", key, *before ? **before : Json(nullptr),
                                  Json{{"value", value}});
      !audited) {
    return audited.error();
  }
  return true;
}

} // namespace opflow::store
