#include "opflow/domain/Role.h"

#include <fmt/format.h>

#include <array>

namespace opflow::domain {

namespace {

constexpr std::array kRoles{Role::Operator, Role::Supervisor, Role::Manager, Role::Admin};
constexpr std::array kNames{"operator", "supervisor", "manager", "admin"};
constexpr std::array kWithArticle{"an operator", "a supervisor", "a manager", "an admin"};

} // namespace

std::span<const Role> allRoles() { return kRoles; }

const char* toString(Role role) { return kNames.at(static_cast<std::size_t>(role)); }

const char* withArticle(Role role) { return kWithArticle.at(static_cast<std::size_t>(role)); }

Result<Role> parseRole(std::string_view text) {
  std::string valid;
  for (Role role : kRoles) {
    if (text == toString(role)) {
      return role;
    }
    valid += valid.empty() ? "" : ", ";
    valid += toString(role);
  }
  return makeError(ErrorCode::InvalidArgument, fmt::format("unknown role \"{}\" (valid: {})", text, valid));
}

bool allows(Role role, Permission permission) {
  switch (permission) {
  case Permission::Read: return true;
  case Permission::ReviewAudit: return role != Role::Operator;
  case Permission::Act:
  case Permission::Sign: return role != Role::Manager;
  case Permission::Supervise: return role == Role::Supervisor;
  case Permission::Administer: return role == Role::Admin;
  }
  return false;
}

} // namespace opflow::domain
