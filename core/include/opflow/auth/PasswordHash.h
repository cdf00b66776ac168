// Password hashing with libsodium's argon2id (crypto_pwhash_str_alg, ALG_ARGON2ID13).
// The stored string carries the algorithm, the cost and the salt, so a hash made at one
// cost verifies after the database's cost setting changed. The cost is a level of
// libsodium's presets; "interactive" is the default (measured on a 2-core build machine:
// about 80 ms unloaded, 270 ms under load, per hash or check). "minimum" exists for
// throw-away databases such as tests' and is chosen per database, never by default.
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include "opflow/Result.h"

#include <string>
#include <string_view>

namespace opflow::auth {

enum class PasswordCost { Minimum, Interactive, Moderate, Sensitive };

// "minimum", "interactive", "moderate", "sensitive".
[[nodiscard]] const char* toString(PasswordCost cost);
// The error names the bad value and lists the valid levels.
[[nodiscard]] Result<PasswordCost> parsePasswordCost(std::string_view text);

// The argon2id string for `password` (InvalidArgument when it is empty; Internal when
// libsodium cannot get the memory the cost asks for).
[[nodiscard]] Result<std::string> hashPassword(std::string_view password,
                                               PasswordCost cost = PasswordCost::Interactive);
// True when `password` matches `hash` (an argon2id string made by hashPassword).
[[nodiscard]] bool verifyPassword(std::string_view hash, std::string_view password);

} // namespace opflow::auth
