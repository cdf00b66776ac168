// UserStore: the people of a workstation database, their sign-ins and the password cost.
//
// Every change goes through the writer thread in one transaction with its audit entry
// and returns once durable. Password checks (argon2id, a few hundred milliseconds at the
// interactive cost) run on the caller's thread before the change is queued, never on the
// writer thread; the change then re-checks, inside its transaction, what the check
// relied on (the admin is still an enabled admin, the name still free).
//
// Who may do what: only an enabled admin, proving it with their password, adds or
// disables users and sets the password cost; the first user of an empty database (the
// bootstrap) needs no admin but must be one. Refusals change nothing but are audited
// ("user.refused", "user.login_failed") and come back as PermissionDenied. A failed
// sign-in tells the caller the same words for an unknown user and a wrong password; the
// audit entry names which. Passwords and their hashes never reach the audit log.
//
// The password cost of new hashes is the per-database setting "auth.password_cost"
// (table settings; "interactive" when absent). Existing hashes carry their own cost.
// Thread-safety: every member may be called from any thread.
#pragma once

#include "opflow/auth/PasswordHash.h"
#include "opflow/store/LocalStore.h"
#include "opflow/store/User.h"

#include <string_view>
#include <vector>

namespace opflow::store {

class UserStore {
public:
  // The settings key of the password cost, whose value is a JSON string ("interactive").
  static constexpr std::string_view kPasswordCostKey = "auth.password_cost";

  explicit UserStore(LocalStore& store) : m_store(store) {}

  // Adds a user (audit "user.added" with name and role). InvalidArgument for a malformed
  // name, an empty password, or a bootstrap that is not an admin or comes with
  // credentials; PermissionDenied (audited) unless `by` is an enabled admin; Conflict
  // when the name is taken (names match case-insensitively).
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
  // returns PermissionDenied.
  [[nodiscard]] Result<Session> login(const Credentials& credentials, const std::string& workstation);
  // Ends a session (audit "user.logout"). NotFound; Conflict when it has ended already.
  [[nodiscard]] Result<Session> logout(const std::string& sessionId);
  // The session open at `workstation`, if any.
  [[nodiscard]] Result<std::optional<Session>> openSession(const std::string& workstation) const;

  // The user a command acts as, by name, without a password: the session open at
  // `workstation` vouches for who sits at it (login asked for the password). Known,
  // enabled, signed in there and allowed `permission`. A refusal is audited
  // ("user.refused", naming `command`): NotFound for an unknown user, PermissionDenied
  // for a disabled one, one not signed in at the workstation, or a role without the permission.
  [[nodiscard]] Result<User> authorize(const std::string& name, domain::Permission permission,
                                       const std::string& workstation, const std::string& command);

  // The cost of new password hashes (setting "auth.password_cost").
  [[nodiscard]] Result<auth::PasswordCost> passwordCost() const;
  // Sets it (audit "settings.changed"). Before the first user exists anyone may (that is
  // `init`); afterwards only an enabled admin (PermissionDenied, audited, otherwise).
  [[nodiscard]] Status setPasswordCost(auth::PasswordCost cost, const Requester& by);

private:
  // The enabled admin behind `by`, or PermissionDenied after auditing the refusal.
  [[nodiscard]] Result<User> requireAdmin(const Requester& by, const std::string& command,
                                          const std::string& subjectType, const std::string& subjectId);

  LocalStore& m_store;
};

} // namespace opflow::store
