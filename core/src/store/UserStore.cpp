// Users, sessions and the password cost: password work on the caller's thread, changes on
// the writer thread (each unit re-reads what it depends on inside its transaction).
#include "opflow/store/UserStore.h"

#include "opflow/engine/RunId.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/Settings.h"
#include "opflow/store/SharedUsers.h"

#include "opflow/Text.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace opflow::store {

namespace {

using domain::Permission;
using domain::Role;

constexpr std::size_t kMaxNameLength = 64;
constexpr const char* kUserColumns = "name, role, disabled, created_at, updated_at, password_hash";
constexpr const char* kSessionColumns =
    "id, user_name, role, workstation, started_at, ended_at, coalesce(last_active_at, started_at)";
constexpr std::int64_t kActivityResolutionMs = UserStore::kActivityResolution.count();

Role roleFromText(std::string_view text) {
  auto role = domain::parseRole(text);
  return role ? *role : Role::Operator; // the table's CHECK admits only valid roles
}

// Columns as kUserColumns (the hash is read only where a check needs it).
User readUser(const Statement& row) {
  return User{row.text(0), roleFromText(row.textView(1)), row.int64(2) != 0, row.int64(3), row.int64(4)};
}

Session readSession(const Statement& row) {
  Session session{row.text(0), row.text(1), roleFromText(row.textView(2)), row.text(3), row.int64(4), std::nullopt,
                  row.int64(6)};
  if (!row.isNull(5)) {
    session.endedAtMs = row.int64(5);
  }
  return session;
}

struct StoredUser {
  User user;
  std::string passwordHash;
};

Result<std::optional<StoredUser>> loadUser(Database& db, const std::string& name) {
  return selectOne(
      db, fmt::format("SELECT {} FROM users WHERE name = ?", kUserColumns),
      [](const Statement& row) { return StoredUser{readUser(row), row.text(5)}; }, name);
}

Error noSuchUser(const std::string& name) {
  return makeError(ErrorCode::NotFound,
                   fmt::format("no user \"{}\" (see: opflow-cli users list; an admin adds users)", name));
}

Result<User> loadExisting(Database& db, const std::string& name) {
  auto found = loadUser(db, name);
  if (!found) {
    return found.error();
  }
  if (!*found) {
    return noSuchUser(name);
  }
  return std::move((*found)->user);
}

Result<std::int64_t> countWhere(Database& db, const char* sql) {
  auto select = db.prepare(sql);
  if (!select) {
    return select.error();
  }
  auto row = (*select)->step();
  if (!row) {
    return row.error();
  }
  return (*select)->int64(0);
}

Status checkName(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("a user name has 1 to {} characters, not {}", kMaxNameLength, name.size()));
  }
  for (char c : name) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                 c == '_' || c == '-' || c == '@';
    if (!plain) {
      return makeError(ErrorCode::InvalidArgument,
                       fmt::format("user name \"{}\" may hold only letters, digits and . _ - @", name));
    }
  }
  return {};
}

std::string correlationOf(const std::string& given) { return given.empty() ? engine::newUuidV7() : given; }

// One audit entry about a user, a session or a setting.
struct Record {
  std::string user;
  std::string role;
  std::string workstation;
  std::string correlationId;
  std::string action;
  std::string subjectType;
  std::string subjectId;
  Json before;
  Json after;
  std::string reason;
};

Status audit(Database& db, Record record) {
  AuditEntry entry;
  entry.user = std::move(record.user);
  entry.role = std::move(record.role);
  entry.workstation = std::move(record.workstation);
  entry.correlationId = correlationOf(record.correlationId);
  entry.action = std::move(record.action);
  entry.subjectType = std::move(record.subjectType);
  entry.subjectId = std::move(record.subjectId);
  entry.before = std::move(record.before);
  entry.after = std::move(record.after);
  entry.reason = std::move(record.reason);
  return appendAudit(db, entry);
}

// Ends every session open at `workstation` at `atMs` and gives their ids.
Result<Json> endSessionsAt(Database& db, const std::string& workstation, std::int64_t atMs) {
  auto select = db.prepare("SELECT id FROM user_sessions WHERE workstation = ? AND ended_at IS NULL ORDER BY id");
  if (!select) {
    return select.error();
  }
  (*select)->bind(1, workstation);
  Json ended = Json::array();
  while (true) {
    auto row = (*select)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      break;
    }
    ended.push_back((*select)->text(0));
  }
  auto update = db.prepare("UPDATE user_sessions SET ended_at = ? WHERE workstation = ? AND ended_at IS NULL");
  if (!update) {
    return update.error();
  }
  (*update)->bind(1, atMs).bind(2, workstation);
  if (Status updated = (*update)->run(); !updated) {
    return updated.error();
  }
  return ended;
}

// A hash nobody's password matches, at `cost`: an unknown user's check costs what a
// known user's does, so the time taken does not tell which names exist.
const std::string& decoyHash(auth::PasswordCost cost) {
  static std::mutex mutex;
  static std::map<auth::PasswordCost, std::string> hashes;
  std::lock_guard lock(mutex);
  std::string& hash = hashes[cost];
  if (hash.empty()) {
    auto made = auth::hashPassword(engine::newUuidV7(), cost);
    hash = made ? *made : std::string();
  }
  return hash;
}

// An integer setting within [least, most], or `fallback` when it is not set.
Result<int> readBoundedSetting(Database& db, std::string_view key, int fallback, int least, int most) {
  auto value = readSetting(db, key);
  if (!value) {
    return value.error();
  }
  if (!*value) {
    return fallback;
  }
  if (!(*value)->is_number_integer() || (*value)->get<std::int64_t>() < least || (*value)->get<std::int64_t>() > most) {
    return makeError(ErrorCode::Internal,
                     fmt::format("setting \"{}\" holds {}: it must be a whole number from {} to {}", key,
                                 (*value)->dump(), least, most));
  }
  return static_cast<int>((*value)->get<std::int64_t>());
}

Result<bool> isDemoDatabase(Database& db) {
  auto value = readSetting(db, UserStore::kDemoDatabaseKey);
  if (!value) {
    return value.error();
  }
  return *value && **value == Json(true);
}

Result<auth::PasswordCost> readPasswordCost(Database& db) {
  auto value = readSetting(db, UserStore::kPasswordCostKey);
  if (!value) {
    return value.error();
  }
  if (!*value) {
    return auth::PasswordCost::Interactive;
  }
  auto cost = (*value)->is_string() ? auth::parsePasswordCost((*value)->get<std::string>())
                                    : Result<auth::PasswordCost>(makeError(ErrorCode::InvalidArgument, "not a string"));
  if (!cost) {
    return makeError(ErrorCode::Internal, fmt::format("setting \"{}\" holds {}: {}", UserStore::kPasswordCostKey,
                                                      (*value)->dump(), cost.error().message));
  }
  return *cost;
}

Result<AuthPolicy> readPolicy(Database& db) {
  AuthPolicy policy;
  auto cost = readPasswordCost(db);
  if (!cost) {
    return cost.error();
  }
  auto demo = isDemoDatabase(db);
  if (!demo) {
    return demo.error();
  }
  // A database set to the minimum cost before that was a demo's alone (an older build's
  // init, or an edit) hashes new passwords at the interactive cost all the same.
  policy.passwordCost = *cost == auth::PasswordCost::Minimum && !*demo ? auth::PasswordCost::Interactive : *cost;
  auto length = readBoundedSetting(db, UserStore::kMinPasswordLengthKey, policy.minPasswordLength,
                                   AuthPolicy::kLeastPasswordLength, AuthPolicy::kMostPasswordLength);
  if (!length) {
    return length.error();
  }
  policy.minPasswordLength = *length;
  auto idle = readBoundedSetting(db, UserStore::kSessionIdleMinutesKey, policy.sessionIdleMinutes, 1,
                                 AuthPolicy::kMostIdleMinutes);
  if (!idle) {
    return idle.error();
  }
  policy.sessionIdleMinutes = *idle;
  return policy;
}

const char* describePermission(Permission permission) {
  switch (permission) {
  case Permission::Read: return "read";
  case Permission::ReviewAudit: return "review the audit log";
  case Permission::Act: return "run operations or change anything";
  case Permission::Sign: return "sign";
  case Permission::Supervise: return "supervise";
  case Permission::Administer: return "administer users and settings";
  }
  return "do this";
}

} // namespace

const char* toString(LoginFailure failure) {
  switch (failure) {
  case LoginFailure::None: return "";
  case LoginFailure::UnknownUser: return "unknown user";
  case LoginFailure::WrongPassword: return "wrong password";
  case LoginFailure::Disabled: return "disabled";
  }
  return "";
}

// ---- reads -----------------------------------------------------------------------------

Result<User> UserStore::get(const std::string& name) const {
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  return loadExisting(**db, name);
}

Result<std::vector<User>> UserStore::list() const {
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto select = (*db)->prepare(fmt::format("SELECT {} FROM users ORDER BY name", kUserColumns));
  if (!select) {
    return select.error();
  }
  std::vector<User> users;
  while (true) {
    auto row = (*select)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return users;
    }
    users.push_back(readUser(**select));
  }
}

Result<bool> UserStore::empty() const {
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto count = countWhere(**db, "SELECT count(*) FROM users");
  if (!count) {
    return count.error();
  }
  return *count == 0;
}

Result<std::optional<Session>> UserStore::openSession(const std::string& workstation) const {
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  auto select = (*db)->prepare(fmt::format(
      "SELECT {} FROM user_sessions WHERE workstation = ? AND ended_at IS NULL ORDER BY started_at DESC, id DESC "
      "LIMIT 1",
      kSessionColumns));
  if (!select) {
    return select.error();
  }
  (*select)->bind(1, workstation);
  auto row = (*select)->step();
  if (!row) {
    return row.error();
  }
  if (!*row) {
    return std::optional<Session>();
  }
  return std::optional<Session>(readSession(**select));
}

// ---- password checks -------------------------------------------------------------------

Result<Authentication> UserStore::authenticate(const Credentials& credentials) const {
  std::optional<StoredUser> stored;
  auth::PasswordCost cost = auth::PasswordCost::Interactive;
  {
    auto db = m_store.readers().acquire();
    if (!db) {
      return db.error();
    }
    auto found = loadUser(**db, credentials.user);
    if (!found) {
      return found.error();
    }
    stored = std::move(*found);
    if (!stored) {
      // The cost new hashes get, so an unknown name takes as long as a known one.
      auto configured = readPolicy(**db);
      if (!configured) {
        return configured.error();
      }
      cost = configured->passwordCost;
    }
  }
  Authentication outcome;
  if (!stored) {
    static_cast<void>(auth::verifyPassword(decoyHash(cost), credentials.password));
    outcome.failure = LoginFailure::UnknownUser;
    return outcome;
  }
  outcome.user = stored->user;
  if (!auth::verifyPassword(stored->passwordHash, credentials.password)) {
    outcome.failure = LoginFailure::WrongPassword;
  } else if (stored->user.disabled) {
    outcome.failure = LoginFailure::Disabled;
  }
  return outcome;
}

Error UserStore::refusal(const Credentials& credentials, LoginFailure failure) {
  if (failure == LoginFailure::Disabled) {
    return makeError(ErrorCode::PermissionDenied,
                     fmt::format("user \"{}\" is disabled: an admin can tell you why", credentials.user));
  }
  return makeError(ErrorCode::PermissionDenied, "unknown user or wrong password");
}

Result<User> UserStore::requireAdmin(const Requester& by, const std::string& command, const std::string& subjectType,
                                     const std::string& subjectId) {
  const Credentials credentials = by.credentials.value_or(Credentials{});
  std::string reason;    // for the audit log
  std::string told;      // for the caller
  std::string role;
  std::string who = credentials.user; // as the audit records it
  if (!by.credentials) {
    reason = "no admin credentials given";
    told = "only an admin may, with their password";
  } else {
    auto checked = authenticate(credentials);
    if (!checked) {
      return checked.error();
    }
    role = checked->user ? domain::toString(checked->user->role) : "";
    who = checked->user ? checked->user->name : maskedName(credentials.user);
    if (!checked->ok()) {
      reason = fmt::format("admin check failed: {}", toString(checked->failure));
      told = refusal(credentials, checked->failure).message;
    } else if (!domain::allows(checked->user->role, Permission::Administer)) {
      reason = fmt::format("{} is not an admin", domain::withArticle(checked->user->role));
      told = fmt::format("\"{}\" is {}: only an admin may", credentials.user, domain::withArticle(checked->user->role));
    } else {
      return *checked->user;
    }
  }
  Status audited = m_store.writer().execute([&](Database& db) -> Status {
    return audit(db, {who, role, by.workstation, by.correlationId, "user.refused", subjectType, subjectId, nullptr,
                      Json{{"command", command}}, reason});
  });
  if (!audited) {
    return audited.error();
  }
  return makeError(ErrorCode::PermissionDenied, fmt::format("{} refused: {}", command, told));
}

// ---- changes ---------------------------------------------------------------------------

Result<User> UserStore::add(const NewUser& user, const Requester& by) {
  if (Status named = checkName(user.name); !named) {
    return named.error();
  }
  auto none = empty();
  if (!none) {
    return none.error();
  }
  const bool bootstrap = *none;
  if (bootstrap && user.role != Role::Admin) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("the database has no users yet: the first one must be an admin, not {}",
                                 domain::withArticle(user.role)));
  }
  if (bootstrap && by.credentials) {
    return makeError(ErrorCode::InvalidArgument,
                     "the database has no users yet: add the first admin without an admin's credentials");
  }
  auto rules = policy();
  if (!rules) {
    return rules.error();
  }
  const std::size_t length = codePointCount(user.password);
  if (length < static_cast<std::size_t>(rules->minPasswordLength) ||
      length > static_cast<std::size_t>(AuthPolicy::kMostPasswordLength)) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("the password of \"{}\" has {} characters: this database asks for {} to {}",
                                 user.name, length, rules->minPasswordLength, AuthPolicy::kMostPasswordLength));
  }
  std::optional<User> admin;
  if (!bootstrap) {
    auto checked = requireAdmin(by, "user.add", "user", user.name);
    if (!checked) {
      return checked.error();
    }
    admin = *checked;
  }
  auto hash = auth::hashPassword(user.password, rules->passwordCost);
  if (!hash) {
    return hash.error();
  }
  User added;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    auto count = countWhere(db, "SELECT count(*) FROM users");
    if (!count) {
      return count.error();
    }
    if (bootstrap && *count != 0) {
      return makeError(ErrorCode::Conflict, "another user was added meanwhile: the database has its admin already");
    }
    if (admin) {
      auto current = loadExisting(db, admin->name);
      if (!current) {
        return current.error();
      }
      if (current->disabled || current->role != Role::Admin) {
        return makeError(ErrorCode::PermissionDenied,
                         fmt::format("\"{}\" is no longer an enabled admin", admin->name));
      }
    }
    auto existing = loadUser(db, user.name);
    if (!existing) {
      return existing.error();
    }
    if (*existing) {
      return makeError(ErrorCode::Conflict, fmt::format("user \"{}\" exists already", (*existing)->user.name));
    }
    auto insert = db.prepare(
        "INSERT INTO users (name, role, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)");
    if (!insert) {
      return insert.error();
    }
    std::int64_t now = db.nowMs();
    (*insert)->bind(1, user.name).bind(2, domain::toString(user.role)).bind(3, *hash).bind(4, now).bind(5, now);
    if (Status inserted = (*insert)->run(); !inserted) {
      return inserted;
    }
    added = User{user.name, user.role, false, now, now};
    const std::string& who = admin ? admin->name : user.name;
    if (Status published = publishUser(db, user.name, "user.added", who); !published) {
      return published;
    }
    return audit(db, {who, domain::toString(Role::Admin), by.workstation, by.correlationId, "user.added", "user",
                      user.name, nullptr,
                      Json{{"name", user.name}, {"role", domain::toString(user.role)}, {"disabled", false}},
                      bootstrap ? "the first user of the database (bootstrap admin)" : ""});
  });
  if (!done) {
    return done.error();
  }
  return added;
}

Result<User> UserStore::disable(const std::string& name, const Requester& by) {
  auto checked = requireAdmin(by, "user.disable", "user", name);
  if (!checked) {
    return checked.error();
  }
  const User admin = *checked;
  User disabled;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    auto current = loadExisting(db, admin.name);
    if (!current) {
      return current.error();
    }
    if (current->disabled || current->role != Role::Admin) {
      return makeError(ErrorCode::PermissionDenied, fmt::format("\"{}\" is no longer an enabled admin", admin.name));
    }
    auto target = loadExisting(db, name);
    if (!target) {
      return target.error();
    }
    if (target->disabled) {
      return makeError(ErrorCode::Conflict, fmt::format("user \"{}\" is disabled already", target->name));
    }
    if (target->role == Role::Admin) {
      auto admins = countWhere(db, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0");
      if (!admins) {
        return admins.error();
      }
      if (*admins <= 1) {
        return makeError(ErrorCode::Conflict,
                         fmt::format("\"{}\" is the last enabled admin: add another admin first", target->name));
      }
    }
    std::int64_t now = std::max(db.nowMs(), target->updatedAtMs);
    auto update = db.prepare("UPDATE users SET disabled = 1, updated_at = ? WHERE name = ?");
    if (!update) {
      return update.error();
    }
    (*update)->bind(1, now).bind(2, target->name);
    if (Status updated = (*update)->run(); !updated) {
      return updated;
    }
    auto endSessions = db.prepare("UPDATE user_sessions SET ended_at = ? WHERE user_name = ? AND ended_at IS NULL");
    if (!endSessions) {
      return endSessions.error();
    }
    (*endSessions)->bind(1, now).bind(2, target->name);
    if (Status ended = (*endSessions)->run(); !ended) {
      return ended;
    }
    int endedCount = db.changes();
    disabled = *target;
    disabled.disabled = true;
    disabled.updatedAtMs = now;
    if (Status published = publishUser(db, target->name, "user.disabled", admin.name); !published) {
      return published;
    }
    return audit(db, {admin.name, domain::toString(admin.role), by.workstation, by.correlationId, "user.disabled",
                      "user", target->name, Json{{"disabled", false}},
                      Json{{"disabled", true}, {"sessions_ended", endedCount}}, ""});
  });
  if (!done) {
    return done.error();
  }
  return disabled;
}

Result<Session> UserStore::login(const Credentials& credentials, const std::string& workstation,
                                 const std::string& askedCorrelationId) {
  auto checked = authenticate(credentials);
  if (!checked) {
    return checked.error();
  }
  const std::string correlationId = correlationOf(askedCorrelationId);
  if (!checked->ok()) {
    const std::string who = checked->user ? checked->user->name : maskedName(credentials.user);
    Status audited = m_store.writer().execute([&](Database& db) -> Status {
      return audit(db, {who, checked->user ? domain::toString(checked->user->role) : "", workstation, correlationId,
                        "user.login_failed", "user", who, nullptr, Json{{"workstation", workstation}},
                        toString(checked->failure)});
    });
    if (!audited) {
      return audited.error();
    }
    return refusal(credentials, checked->failure);
  }
  const User user = *checked->user;
  Session session;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    auto current = loadExisting(db, user.name);
    if (!current) {
      return current.error();
    }
    if (current->disabled) {
      return refusal(credentials, LoginFailure::Disabled);
    }
    std::int64_t now = db.nowMs();
    auto ended = endSessionsAt(db, workstation, now);
    if (!ended) {
      return ended.error();
    }
    session = Session{engine::newUuidV7(), current->name, current->role, workstation, now, std::nullopt};
    session.lastActiveAtMs = now;
    auto insert = db.prepare(
        "INSERT INTO user_sessions (id, user_name, role, workstation, started_at, last_active_at) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    if (!insert) {
      return insert.error();
    }
    (*insert)->bind(1, session.id).bind(2, session.user).bind(3, domain::toString(session.role)).bind(4, workstation)
        .bind(5, now).bind(6, now);
    if (Status inserted = (*insert)->run(); !inserted) {
      return inserted;
    }
    return audit(db, {session.user, domain::toString(session.role), workstation, correlationId, "user.login",
                      "session", session.id, nullptr,
                      Json{{"session_id", session.id}, {"user", session.user}, {"workstation", workstation},
                           {"ended_sessions", std::move(*ended)}},
                      ""});
  });
  if (!done) {
    return done.error();
  }
  return session;
}

Result<Session> UserStore::logout(const std::string& sessionId, const std::string& reason) {
  Session session;
  Status done = m_store.writer().execute([&](Database& db) -> Status {
    auto select = db.prepare(fmt::format("SELECT {} FROM user_sessions WHERE id = ?", kSessionColumns));
    if (!select) {
      return select.error();
    }
    (*select)->bind(1, sessionId);
    auto row = (*select)->step();
    if (!row) {
      return row.error();
    }
    if (!*row) {
      return makeError(ErrorCode::NotFound, fmt::format("no session \"{}\"", sessionId));
    }
    session = readSession(**select);
    if (session.endedAtMs) {
      return makeError(ErrorCode::Conflict, fmt::format("session {} has ended already", sessionId));
    }
    std::int64_t now = std::max(db.nowMs(), session.startedAtMs);
    auto update = db.prepare("UPDATE user_sessions SET ended_at = ? WHERE id = ?");
    if (!update) {
      return update.error();
    }
    (*update)->bind(1, now).bind(2, sessionId);
    if (Status updated = (*update)->run(); !updated) {
      return updated;
    }
    session.endedAtMs = now;
    return audit(db, {session.user, domain::toString(session.role), session.workstation, "", "user.logout",
                      "session", session.id, nullptr, Json{{"session_id", session.id}, {"ended_at", now}}, reason});
  });
  if (!done) {
    return done.error();
  }
  return session;
}

Status UserStore::touch(const std::string& sessionId) {
  return m_store.writer().execute([&](Database& db) -> Status {
    auto update = db.prepare("UPDATE user_sessions SET last_active_at = max(coalesce(last_active_at, started_at), ?) "
                             "WHERE id = ? AND ended_at IS NULL");
    if (!update) {
      return update.error();
    }
    (*update)->bind(1, db.nowMs()).bind(2, sessionId);
    if (Status updated = (*update)->run(); !updated) {
      return updated;
    }
    if (db.changes() == 0) {
      return makeError(ErrorCode::NotFound, fmt::format("session {} is not open", sessionId));
    }
    return {};
  });
}

Result<User> UserStore::authorize(const AccessRequest& request) {
  std::optional<StoredUser> found;
  std::optional<Session> session;
  AuthPolicy rules;
  std::int64_t now = 0;
  {
    auto db = m_store.readers().acquire();
    if (!db) {
      return db.error();
    }
    auto snapshot = Transaction::begin(**db, Transaction::Kind::Deferred);
    if (!snapshot) {
      return snapshot.error();
    }
    auto open = selectOne(
        **db,
        fmt::format("SELECT {} FROM user_sessions WHERE workstation = ? AND ended_at IS NULL "
                    "ORDER BY started_at DESC, id DESC LIMIT 1",
                    kSessionColumns),
        readSession, request.workstation);
    if (!open) {
      return open.error();
    }
    session = std::move(*open);
    auto policyRead = readPolicy(**db);
    if (!policyRead) {
      return policyRead.error();
    }
    rules = *policyRead;
    const std::string name = request.user.empty() && session ? session->user : request.user;
    if (!name.empty()) {
      auto user = loadUser(**db, name);
      if (!user) {
        return user.error();
      }
      found = std::move(*user);
    }
    now = (*db)->nowMs();
  }
  const std::string asked = request.user.empty() && session ? session->user : request.user;
  std::optional<Error> refused;
  std::string reason;
  std::string who;
  std::string role;
  bool expired = false;
  if (asked.empty()) {
    reason = "nobody signed in";
    refused = makeError(ErrorCode::PermissionDenied,
                        fmt::format("nobody is signed in at {}: sign in first (opflow-cli login NAME)",
                                    request.workstation));
  } else if (!found) {
    who = maskedName(asked);
    reason = "unknown user";
    refused = makeError(ErrorCode::NotFound, fmt::format("unknown user \"{}\": an admin adds users (opflow-cli users add)",
                                                         terminalSafe(asked)));
  } else {
    const User& user = found->user;
    who = user.name;
    role = domain::toString(user.role);
    // Activity is written at most once a resolution: a session idles out a resolution
    // past its limit, never before it.
    const std::int64_t idleLimitMs = std::int64_t{rules.sessionIdleMinutes} * 60'000 + kActivityResolutionMs;
    if (user.disabled) {
      reason = "disabled";
      refused = makeError(ErrorCode::PermissionDenied, fmt::format("user \"{}\" is disabled", user.name));
    } else if (!session || session->user != user.name) {
      reason = "not signed in at this workstation";
      refused = makeError(ErrorCode::PermissionDenied,
                          fmt::format("{} is not signed in at {}{}: sign in first (opflow-cli login {})", user.name,
                                      request.workstation, session ? " (" + session->user + " is)" : std::string(),
                                      user.name));
    } else if (now - session->lastActiveAtMs > idleLimitMs) {
      expired = true;
      reason = fmt::format("the session had been idle for more than {} minutes", rules.sessionIdleMinutes);
      refused = makeError(ErrorCode::PermissionDenied,
                          fmt::format("the session of {} at {} ended after {} minutes without activity: sign in "
                                      "again (opflow-cli login {})",
                                      user.name, request.workstation, rules.sessionIdleMinutes, user.name));
    } else if (request.claimedRole) {
      reason = fmt::format("a role was given ({}); the users table decides", terminalSafe(*request.claimedRole));
      refused = makeError(ErrorCode::PermissionDenied,
                          fmt::format("{} acts as {}, as the users table says: a role given with {} is refused",
                                      user.name, domain::withArticle(user.role), request.command));
    } else if (!domain::allows(user.role, request.permission)) {
      reason = fmt::format("{} may not {}", domain::withArticle(user.role), describePermission(request.permission));
      refused = makeError(ErrorCode::PermissionDenied,
                          fmt::format("{} may not {}: {} is {}", user.name, describePermission(request.permission),
                                      user.name, domain::withArticle(user.role)));
    } else {
      if (request.active && now - session->lastActiveAtMs >= kActivityResolutionMs) {
        if (Status touched = touch(session->id); !touched) {
          return touched.error();
        }
      }
      return user;
    }
  }
  const std::string correlationId = correlationOf(request.correlationId);
  Status audited = m_store.writer().execute([&](Database& db) -> Status {
    if (expired) {
      auto end = db.prepare("UPDATE user_sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL");
      if (!end) {
        return end.error();
      }
      (*end)->bind(1, std::max(db.nowMs(), session->startedAtMs)).bind(2, session->id);
      if (Status ended = (*end)->run(); !ended) {
        return ended;
      }
      if (Status recorded = audit(db, {who, role, request.workstation, correlationId, "user.session_expired", "session",
                                       session->id, nullptr,
                                       Json{{"session_id", session->id}, {"last_active_at", session->lastActiveAtMs}},
                                       reason});
          !recorded) {
        return recorded;
      }
    }
    return audit(db, {who, role, request.workstation, correlationId, "user.refused", "user", who, nullptr,
                      Json{{"command", request.command}}, reason});
  });
  if (!audited) {
    // A refusal stands even where it cannot be written (a file this user may only read).
    refused->message += fmt::format(" (the refusal could not be audited: {})", audited.error().message);
  }
  return *refused;
}

Result<AuthPolicy> UserStore::policy() const {
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  return readPolicy(**db);
}

Status UserStore::changeSetting(std::string_view key, const Json& value, const Requester& by) {
  auto none = empty();
  if (!none) {
    return none.error();
  }
  std::string who;
  std::string role;
  if (!*none) {
    auto admin = requireAdmin(by, "settings.set", "setting", std::string(key));
    if (!admin) {
      return admin.error();
    }
    who = admin->name;
    role = domain::toString(admin->role);
  }
  return m_store.writer().execute([&](Database& db) -> Status {
    if (who.empty()) {
      auto count = countWhere(db, "SELECT count(*) FROM users");
      if (!count) {
        return count.error();
      }
      if (*count != 0) {
        return makeError(ErrorCode::Conflict, fmt::format("a user was added meanwhile: only an admin may set \"{}\" now",
                                                          key));
      }
    }
    auto rulesBefore = readPolicy(db);
    if (!rulesBefore) {
      return rulesBefore.error();
    }
    auto before = readSetting(db, key);
    if (!before) {
      return before.error();
    }
    Json effective = *before ? **before : Json(nullptr);
    if (key == kPasswordCostKey && !*before) {
      // As stored when set (a "minimum" left in a shop's database is replaced by setting
      // it again), the default otherwise.
      effective = auth::toString(rulesBefore->passwordCost);
    } else if (key == kMinPasswordLengthKey) {
      effective = rulesBefore->minPasswordLength;
    } else if (key == kSessionIdleMinutesKey) {
      effective = rulesBefore->sessionIdleMinutes;
    }
    if (effective == value) {
      return {};
    }
    if (Status written = writeSetting(db, key, value); !written) {
      return written;
    }
    if (Status published = publishSetting(db, key, value, who); !published) {
      return published;
    }
    return audit(db, {who, role, by.workstation, by.correlationId, "settings.changed", "setting", std::string(key),
                      std::move(effective), value, who.empty() ? "set before the first user existed" : ""});
  });
}

Status UserStore::setPasswordCost(auth::PasswordCost cost, const Requester& by) {
  if (cost == auth::PasswordCost::Minimum) {
    auto demo = [&]() -> Result<bool> {
      auto db = m_store.readers().acquire();
      if (!db) {
        return db.error();
      }
      return isDemoDatabase(**db);
    }();
    if (!demo) {
      return demo.error();
    }
    if (!*demo) {
      return makeError(ErrorCode::InvalidArgument,
                       "the minimum password cost is for the demo shop only (opflow-cli init --demo), whose passwords "
                       "are public; choose interactive, moderate or sensitive");
    }
  }
  return changeSetting(kPasswordCostKey, Json(auth::toString(cost)), by);
}

Status UserStore::setMinPasswordLength(int characters, const Requester& by) {
  if (characters < AuthPolicy::kLeastPasswordLength || characters > AuthPolicy::kMostPasswordLength) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("a minimum password length is {} to {} characters, not {}",
                                 AuthPolicy::kLeastPasswordLength, AuthPolicy::kMostPasswordLength, characters));
  }
  return changeSetting(kMinPasswordLengthKey, Json(characters), by);
}

Status UserStore::setSessionIdleMinutes(int minutes, const Requester& by) {
  if (minutes < 1 || minutes > AuthPolicy::kMostIdleMinutes) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("a session's idle limit is 1 to {} minutes, not {}", AuthPolicy::kMostIdleMinutes,
                                 minutes));
  }
  return changeSetting(kSessionIdleMinutesKey, Json(minutes), by);
}

Status UserStore::markAsDemo(const Requester& by) {
  auto none = empty();
  if (!none) {
    return none.error();
  }
  if (!*none) {
    return makeError(ErrorCode::Conflict, "only a database without users can become a demo");
  }
  return changeSetting(kDemoDatabaseKey, Json(true), by);
}

std::string UserStore::maskedName(const std::string& typed) {
  return fmt::format("(unknown name, {} characters)", codePointCount(typed));
}

} // namespace opflow::store
