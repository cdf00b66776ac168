#include "opflow/store/AuditReader.h"

namespace opflow::store {

Status AuditReader::allow(const AuditReaderIdentity& who, domain::Permission permission, const char* command) {
  auto reader = m_users.authorize(
      AccessRequest{who.user, permission, who.workstation, command, std::nullopt, false, who.correlationId});
  if (!reader) {
    return reader.error();
  }
  return {};
}

Result<std::vector<AuditEntry>> AuditReader::list(const AuditReaderIdentity& who, const AuditQuery& query) {
  const bool oneOrder = !query.orderNumber.empty();
  if (Status allowed = allow(who, oneOrder ? domain::Permission::Read : domain::Permission::ReviewAudit,
                             oneOrder ? "audit list --order" : "audit list");
      !allowed) {
    return allowed.error();
  }
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  return queryAudit(**db, query);
}

Result<AuditVerification> AuditReader::verify(const AuditReaderIdentity& who) {
  if (Status allowed = allow(who, domain::Permission::ReviewAudit, "audit verify"); !allowed) {
    return allowed.error();
  }
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  return verifyAudit(**db);
}

Status AuditReader::mayReview(const AuditReaderIdentity& who, const char* command) {
  return allow(who, domain::Permission::ReviewAudit, command);
}

Status AuditReader::mayExport(const AuditReaderIdentity& who, const char* command) {
  return allow(who, domain::Permission::Supervise, command);
}

Status AuditReader::exportTo(const AuditReaderIdentity& who, const AuditQuery& query, AuditExportFormat format,
                             std::ostream& out) {
  if (Status allowed = allow(who, domain::Permission::Supervise, "audit export"); !allowed) {
    return allowed;
  }
  auto db = m_store.readers().acquire();
  if (!db) {
    return db.error();
  }
  return exportAudit(**db, query, format, out);
}

} // namespace opflow::store
