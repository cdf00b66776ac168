// Electronic signatures: value types of SignatureStore. A signature says who (name and
// role at the time), when, where and what it means ("approved for manufacturing"), and
// on which subject (for operations: the run that asked for it). The password that proved
// the signer is in SignRequest only: it is checked and forgotten.
// Thread-safety: value types.
#pragma once

#include "opflow/Json.h"
#include "opflow/domain/Role.h"

#include <cstdint>
#include <string>
#include <vector>

namespace opflow::store {

struct SignRequest {
  std::string user;
  std::string password;
  std::string meaning;     // what the signer agrees to, in words
  std::string subjectType; // "run", ...
  std::string subjectId;
  std::string workstation;
  std::string correlationId; // generated when empty
  std::string orderNumber;   // the order it concerns, when any (for per-order audit queries)
};

struct Signature {
  std::string id; // UUIDv7
  std::string signer;
  domain::Role role = domain::Role::Operator;
  std::string meaning;
  std::string subjectType;
  std::string subjectId;
  std::string workstation;
  std::int64_t atMs = 0; // UTC ms

  // {"id", "signer", "role", "meaning", "at" (ISO 8601 UTC)}: what run data and outputs carry.
  [[nodiscard]] Json toJson() const;
};

// Where a signature is used, and what it must be to count there.
struct SignatureUse {
  std::string subjectType;
  std::string subjectId;
  std::string meaning;
  std::vector<std::string> roles; // the roles whose signature counts
  // Who checks it (for the audit entry of a refusal).
  std::string user;
  std::string role;
  std::string workstation;
  std::string correlationId;
  std::string orderNumber;
};

} // namespace opflow::store
