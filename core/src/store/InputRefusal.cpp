#include "opflow/store/InputRefusal.h"

#include "opflow/Text.h"
#include "opflow/engine/RunId.h"
#include "opflow/store/AuditLog.h"

namespace opflow::store {

Status auditInputRefusal(LocalStore& store, const InputRefusal& refusal) {
  AuditEntry entry;
  entry.user = refusal.user;
  entry.role = refusal.role;
  entry.workstation = refusal.workstation;
  entry.correlationId = engine::newUuidV7();
  entry.action = "input.refused";
  entry.subjectType = "input";
  entry.subjectId = terminalSafe(refusal.subject);
  entry.after = Json{{"command", refusal.command}, {"input", terminalSafe(refusal.input)}};
  entry.reason = terminalSafe(refusal.problem);
  return store.writer().execute([&entry](Database& db) { return appendAudit(db, entry); });
}

} // namespace opflow::store
