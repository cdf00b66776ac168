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
  entry.subjectId = shownBriefly(refusal.subject);
  entry.after = Json{{"command", refusal.command}, {"input", shownBriefly(refusal.input)}};
  entry.reason = shownBriefly(refusal.problem, 1000);
  return store.writer().execute([&entry](Database& db) { return appendAudit(db, entry); });
}

} // namespace opflow::store
