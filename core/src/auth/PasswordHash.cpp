#include "opflow/auth/PasswordHash.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>

namespace opflow::auth {

namespace {

struct Preset {
  const char* name;
  unsigned long long opsLimit;
  std::size_t memLimit;
};

constexpr std::array kPresets{
    Preset{"minimum", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN},
    Preset{"interactive", crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE},
    Preset{"moderate", crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE},
    Preset{"sensitive", crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE},
};

bool sodiumReady() {
  static const bool initialised = sodium_init() >= 0;
  return initialised;
}

} // namespace

const char* toString(PasswordCost cost) { return kPresets.at(static_cast<std::size_t>(cost)).name; }

Result<PasswordCost> parsePasswordCost(std::string_view text) {
  std::string valid;
  for (std::size_t i = 0; i < kPresets.size(); ++i) {
    if (text == kPresets[i].name) {
      return static_cast<PasswordCost>(i);
    }
    valid += valid.empty() ? "" : ", ";
    valid += kPresets[i].name;
  }
  return makeError(ErrorCode::InvalidArgument, fmt::format("unknown password cost \"{}\" (valid: {})", text, valid));
}

Result<std::string> hashPassword(std::string_view password, PasswordCost cost) {
  if (password.empty()) {
    return makeError(ErrorCode::InvalidArgument, "a password cannot be empty");
  }
  if (!sodiumReady()) {
    return makeError(ErrorCode::Internal, "libsodium could not be initialised");
  }
  const Preset& preset = kPresets.at(static_cast<std::size_t>(cost));
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), preset.opsLimit, preset.memLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return makeError(ErrorCode::Internal,
                     fmt::format("argon2id at cost \"{}\" needs {} MiB of memory that could not be had", preset.name,
                                 preset.memLimit >> 20));
  }
  return std::string(out.data());
}

bool verifyPassword(std::string_view hash, std::string_view password) {
  if (!sodiumReady() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  std::string terminated(hash); // crypto_pwhash_str_verify reads a NUL-terminated string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

} // namespace opflow::auth
