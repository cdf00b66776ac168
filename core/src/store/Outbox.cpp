#include "opflow/store/Outbox.h"

#include "opflow/engine/RunId.h"

namespace opflow::store {

Status appendOutbox(Database& db, OutboxEvent event) {
  auto insert = db.prepare(
      "INSERT INTO outbox (id, kind, subject_id, base_version, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)");
  if (!insert) {
    return insert.error();
  }
  Statement& statement = **insert;
  statement.bind(1, event.id.empty() ? engine::newUuidV7() : event.id).bind(2, event.kind).bind(3, event.subjectId);
  if (event.baseVersion) {
    statement.bind(4, *event.baseVersion);
  } else {
    statement.bindNull(4);
  }
  if (event.payload.is_null()) {
    statement.bindNull(5);
  } else {
    statement.bind(5, event.payload.dump());
  }
  statement.bind(6, db.nowMs());
  return statement.run();
}

Result<std::int64_t> pendingOutboxCount(Database& db) {
  auto count = db.prepare("SELECT count(*) FROM outbox WHERE pushed_at IS NULL");
  if (!count) {
    return count.error();
  }
  auto row = (*count)->step();
  if (!row) {
    return row.error();
  }
  return (*count)->int64(0);
}

} // namespace opflow::store
