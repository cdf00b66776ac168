// Migration 7: what sign-ins and the verifier need.
//
// user_sessions.last_active_at: when the session's user last did something at the
// workstation (the console's input, a command acting as them). A session idle for longer
// than the setting "auth.session_idle_minutes" ends at its next use. Sessions open before
// this migration count from their start.
// audit_order_changes: the audit entries that change an order's row (created, moved, held,
// released, its audit trail reviewed), by order: `audit verify` compares each order with
// its latest such entries in a few index probes, however many run steps its runs journaled.
#include "Schema.h"

namespace opflow::store::schema {

const char* sessionsActivityV1() {
  return R"sql(
ALTER TABLE user_sessions ADD COLUMN last_active_at INTEGER;
UPDATE user_sessions SET last_active_at = started_at;
CREATE INDEX audit_order_changes ON audit(order_number)
  WHERE action IN ('order.created', 'order.status_changed', 'order.held', 'order.released', 'order.audit_reviewed');
)sql";
}

} // namespace opflow::store::schema
