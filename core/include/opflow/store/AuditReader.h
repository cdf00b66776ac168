// AuditReader: the audit log as a person reads it, with the console's rules applied in
// core, so the CLI and the console refuse the same people. Each read first asks
// UserStore::authorize who reads (signed in at this workstation, enabled, session not
// idled out), then whether their role may:
//   - the whole log, filtered or not, and its verification: Permission::ReviewAudit
//     (supervisors, managers, admins);
//   - one order's trail (a query with orderNumber set): Permission::Read (everyone, as
//     the order view shows it);
//   - an export: Permission::Supervise (supervisors).
// A refusal is audited ("user.refused") and returns PermissionDenied; reading counts as
// no activity (a session is kept alive by acting, not by looking).
// Thread-safety: every member may be called from any thread (each read takes a reader).
#pragma once

#include "opflow/store/AuditLog.h"
#include "opflow/store/LocalStore.h"
#include "opflow/store/UserStore.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace opflow::store {

// Who reads: a user of the database (empty: whoever is signed in) at a workstation, and
// the correlation id of the asking action, which a refusal's audit carries (generated
// when empty).
struct AuditReaderIdentity {
  std::string user;
  std::string workstation;
  std::string correlationId;
};

class AuditReader {
public:
  AuditReader(LocalStore& store, UserStore& users) : m_store(store), m_users(users) {}

  [[nodiscard]] Result<std::vector<AuditEntry>> list(const AuditReaderIdentity& who, const AuditQuery& query);
  [[nodiscard]] Result<AuditVerification> verify(const AuditReaderIdentity& who);
  [[nodiscard]] Status exportTo(const AuditReaderIdentity& who, const AuditQuery& query, AuditExportFormat format,
                                std::ostream& out);
  // Whether `who` may review the audit log beyond this database (the shop's chains, read
  // elsewhere), by the rule of verify(); `command` names the refusal.
  [[nodiscard]] Status mayReview(const AuditReaderIdentity& who, const char* command);
  // Whether `who` may export the audit log beyond this database, by the rule of exportTo().
  [[nodiscard]] Status mayExport(const AuditReaderIdentity& who, const char* command);

private:
  [[nodiscard]] Status allow(const AuditReaderIdentity& who, domain::Permission permission, const char* command);

  LocalStore& m_store;
  UserStore& m_users;
};

} // namespace opflow::store
