// UserStore: the people of a workstation database, their sign-ins and the password cost.
//
// Every change goes through the writer thread in one transaction with its audit entry
// and returns once durable. Password checks (argon2id, a few hundred milliseconds at the
// interactive cost) run on the caller's thread before the change is queued, never on the
// writer thread; the change then re-checks, inside its transaction, what the check
// relied on (the admin is still an enabled admin, the name still free).
//
// Who may do what: only an enabled admin, proving it with their password, adds or
// disables users and sets the sign-in rules (AuthPolicy); the first user of an empty
// database (the bootstrap) needs no admin but must be one. Refusals change nothing but
// are audited ("user.refused", "user.login_failed") and come back as PermissionDenied. A
// failed sign-in tells the caller the same words for an unknown user and a wrong
// password; the audit entry names which. Passwords and their hashes never reach the
// audit log, and neither does a name nobody has: a password typed into the name field
// would stay there forever, so an unknown name is recorded masked (maskedName).
//
// Sessions: a sign-in at a workstation vouches for who sits there until they sign out,
// someone else signs in there, or it has been idle past the policy's limit; an idle
// session ends (audit "user.session_expired") at its next use.
//
// The rules live in the per-database settings (table settings): "auth.password_cost"
// (interactive when absent; "minimum" only in a demo database, whose passwords are
// public), "auth.password_min_length" (8) and "auth.session_idle_minutes" (30).
// Existing hashes carry their own cost.
// Thread-safety: every member may be called from any thread.
#pragma once

#include "opflow/Json.h"
#include "opflow/auth/PasswordHash.h"
#include "opflow/store/LocalStore.h"
#include "opflow/store/User.h"

#include <chrono>
#include <string_view>
#include <vector>

namespace opflow::store {

// The sign-in rules of a database.
struct AuthPolicy {
  auth::PasswordCost passwordCost = auth::PasswordCost::Interactive;
  int minPasswordLength = 8;   // characters of a new password
  int sessionIdleMinutes = 30; // a session unused this long ends

  static constexpr int kLeastPasswordLength = 8;
  static constexpr int kMostPasswordLength = 1024;
  static constexpr int kMostIdleMinutes = 24 * 60;
};

// Who asks to act or to read, at which workstation, for which command.
struct AccessRequest {
  std::string user; // empty: whoever is signed in at `workstation`
  domain::Permission permission = domain::Permission::Read;
  std::string workstation;
  std::string command;                    // named in the audit of a refusal
  std::optional<std::string> claimedRole; // a role the caller asserted: refused and audited (the users table decides)
  bool active = true;                     // counts as the user's activity (reads do not)
  std::string correlationId;              // the asking action's, on a refusal's audit; generated when empty
};

class UserStore {
public:
  // Settings keys. The cost is a JSON string ("interactive"); the others JSON integers.
  static constexpr std::string_view kPasswordCostKey = "auth.password_cost";
  static constexpr std::string_view kMinPasswordLengthKey = "auth.password_min_length";
  static constexpr std::string_view kSessionIdleMinutesKey = "auth.session_idle_minutes";
  // Set (true) by the demo shop at its birth: its passwords are public, so it alone may
  // hash at the minimum cost.
  static constexpr std::string_view kDemoDatabaseKey = "database.demo";
  // A session's activity is written at most this often (each command, and the console as
  // its user works, would otherwise write it every time); a session idles out this much
  // past its limit at the latest.
  static constexpr std::chrono::milliseconds kActivityResolution{60'000};

  explicit UserStore(LocalStore& store) : m_store(store) {}

  // Adds a user (audit "user.added" with name and role). InvalidArgument for a malformed
  // name, a password shorter than the policy's minimum (or over 1024 characters), or a
  // bootstrap that is not an admin or comes with credentials; PermissionDenied (audited)
  // unless `by` is an enabled admin; Conflict when the name is taken (names match
  // case-insensitively).
  [[nodiscard]] Result<User> add(const NewUser& user, const Requester& by);

  // Disables a user: they can no longer sign in or sign, and their open sessions end
  // (audit "user.disabled"). PermissionDenied (audited) unless `by` is an enabled admin;
  // NotFound; Conflict when already disabled or when no enabled admin would be left.
  [[nodiscard]] Result<User> disable(const std::string& name, const Requester& by);

  // NotFound when there is no such user (names match case-insensitively).
  [[nodiscard]] Result<User> get(const std::string& name) const;
  // Every user, by name.
  [[nodiscard]] Result<std::vector<User>> list() const;
  // Whether the database has any user yet.
  [[nodiscard]] Result<bool> empty() const;

  // Checks a name and password and records nothing. Errors are storage errors only; a
  // failed check is an Authentication that says why.
  [[nodiscard]] Result<Authentication> authenticate(const Credentials& credentials) const;
  // What the caller of a failed check is told (the same for unknown user and wrong password).
  [[nodiscard]] static Error refusal(const Credentials& credentials, LoginFailure failure);

  // Signs in at `workstation`: ends the session open there (shift change) and opens one
  // (audit "user.login"). A failure is audited "user.login_failed" with the reason and
  // returns PermissionDenied. Both audits carry `correlationId` (generated when empty).
  [[nodiscard]] Result<Session> login(const Credentials& credentials, const std::string& workstation,
                                      const std::string& correlationId = {});
  // Ends a session (audit "user.logout", with `reason` when given: "the console closed",
  // "idle for 30 minutes"). NotFound; Conflict when it has ended already.
  [[nodiscard]] Result<Session> logout(const std::string& sessionId, const std::string& reason = {});
  // The session open at `workstation`, if any (it may have idled past the policy: the
  // next authorize ends it).
  [[nodiscard]] Result<std::optional<Session>> openSession(const std::string& workstation) const;
  // Marks activity of an open session now (the console, as its user works), so it does
  // not idle out. NotFound or Conflict when the session is not open.
  [[nodiscard]] Status touch(const std::string& sessionId);

  // The user a command acts or reads as, without a password: the session open at the
  // workstation vouches for who sits at it (login asked for the password). Known,
  // enabled, signed in there, the session not idle past the policy, no role claimed, and
  // allowed the permission. A refusal is audited ("user.refused", naming the command;
  // "user.session_expired" first when the session idled out): NotFound for an unknown
  // user, PermissionDenied otherwise. An active request marks the session's activity.
  [[nodiscard]] Result<User> authorize(const AccessRequest& request);

  // The sign-in rules (settings, with their defaults).
  [[nodiscard]] Result<AuthPolicy> policy() const;
  // Sets it (audit "settings.changed"). Before the first user exists anyone may (that is
  // `init`); afterwards only an enabled admin (PermissionDenied, audited, otherwise).
  // "minimum" only in a demo database (InvalidArgument otherwise).
  [[nodiscard]] Status setPasswordCost(auth::PasswordCost cost, const Requester& by);
  // The shortest new password (8 to 1024 characters) and the idle minutes after which a
  // session ends (1 to 1440); an admin's, as setPasswordCost.
  [[nodiscard]] Status setMinPasswordLength(int characters, const Requester& by);
  [[nodiscard]] Status setSessionIdleMinutes(int minutes, const Requester& by);
  // Marks a new database as a demo (audited); only before its first user exists.
  [[nodiscard]] Status markAsDemo(const Requester& by);

  // How an unknown name is recorded: "(unknown name, 9 characters)", never the name.
  [[nodiscard]] static std::string maskedName(const std::string& typed);

  // The enabled admin behind `by` (their password checked), or PermissionDenied after
  // auditing the refusal ("user.refused", naming `command` and its subject).
  [[nodiscard]] Result<User> requireAdmin(const Requester& by, const std::string& command,
                                          const std::string& subjectType, const std::string& subjectId);

private:
  // Writes one setting with its audit entry: by anyone before the first user exists, by
  // an enabled admin afterwards.
  [[nodiscard]] Status changeSetting(std::string_view key, const Json& value, const Requester& by);

  LocalStore& m_store;
};

} // namespace opflow::store
