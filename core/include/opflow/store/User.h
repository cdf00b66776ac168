// The people of a workstation database and their sign-ins: value types of UserStore.
// Passwords travel only inside Credentials (from the person to a check) and are never
// stored, logged or audited; the users table keeps an argon2id string.
// Thread-safety: value types.
#pragma once

#include "opflow/domain/Role.h"

#include <cstdint>
#include <optional>
#include <string>

namespace opflow::store {

struct User {
  std::string name;
  domain::Role role = domain::Role::Operator;
  bool disabled = false;
  std::int64_t createdAtMs = 0;
  std::int64_t updatedAtMs = 0;
};

struct NewUser {
  std::string name;
  domain::Role role = domain::Role::Operator;
  std::string password;
};

// A person proving who they are.
struct Credentials {
  std::string user;
  std::string password;
};

// Who asks for a change to users or settings, and where. `credentials` must be an
// admin's, except for the first user of an empty database (the bootstrap admin).
struct Requester {
  std::optional<Credentials> credentials;
  std::string workstation;
  std::string correlationId; // generated when empty
};

// A sign-in at a workstation; open while endedAtMs is empty.
struct Session {
  std::string id; // UUIDv7
  std::string user;
  domain::Role role = domain::Role::Operator;
  std::string workstation;
  std::int64_t startedAtMs = 0;
  std::optional<std::int64_t> endedAtMs;
  std::int64_t lastActiveAtMs = 0; // the user's latest activity in it
};

// Why a password check failed. The caller of a sign-in hears the same words for an
// unknown user and a wrong password; the audit log keeps which it was.
enum class LoginFailure { None, UnknownUser, WrongPassword, Disabled };

// "unknown user", "wrong password", "disabled" ("" for None).
[[nodiscard]] const char* toString(LoginFailure failure);

// The outcome of a password check: the user when the name is known, and the failure.
struct Authentication {
  std::optional<User> user;
  LoginFailure failure = LoginFailure::None;

  [[nodiscard]] bool ok() const { return failure == LoginFailure::None; }
};

} // namespace opflow::store
