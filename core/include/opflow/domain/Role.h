// Role: what a person may do at a workstation (DESIGN.md, Domain). The role names are
// fixed (the users table's CHECK matches them) and enforced in core, never only in a UI:
//   operator    runs shop-floor operations and signs where a flowchart lets them
//   supervisor  also approves, holds, decides about interrupted runs, reviews the audit
//   manager     reads everything (dashboards, flowcharts, audit) and changes nothing
//   admin       manages users, definitions and settings; may also act and sign
// Thread-safety: pure functions over constant tables.
#pragma once

#include "opflow/Result.h"

#include <span>
#include <string_view>

namespace opflow::domain {

enum class Role { Operator, Supervisor, Manager, Admin };

// What a role may be allowed to do.
enum class Permission {
  Read,       // see orders, runs, flowcharts, and the audit trail of an order
  ReviewAudit, // read and verify the whole audit log (supervisors, managers, admins)
  Act,        // start, signal and cancel runs; change orders
  Sign,       // give an electronic signature
  Supervise,  // approvals, holds, interrupted runs, audit review and export
  Administer, // users, definitions, settings
};

[[nodiscard]] std::span<const Role> allRoles();
// "operator", "supervisor", "manager", "admin".
[[nodiscard]] const char* toString(Role role);
// With its article, for messages: "an operator", "a supervisor", "a manager", "an admin".
[[nodiscard]] const char* withArticle(Role role);
// The error names the bad value and lists the valid roles.
[[nodiscard]] Result<Role> parseRole(std::string_view text);

[[nodiscard]] bool allows(Role role, Permission permission);

} // namespace opflow::domain
