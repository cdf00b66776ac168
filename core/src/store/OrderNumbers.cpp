#include "opflow/store/OrderNumbers.h"

namespace opflow::store {

namespace {

Result<std::int64_t> oneInteger(Database& db, std::string_view sql) {
  auto value = selectOne(db, sql, [](const Statement& row) { return row.int64(0); });
  if (!value) {
    return value.error();
  }
  return value->value_or(0);
}

} // namespace

Result<std::int64_t> highestOrderSequence(Database& db) {
  return oneInteger(db, "SELECT coalesce(max(CAST(substr(number, 5) AS INTEGER)), 0) FROM orders "
                        "WHERE number GLOB 'ORD-[0-9]*' AND substr(number, 5) NOT GLOB '*[^0-9]*'");
}

Status addNumberBlock(Database& db, std::int64_t first, std::int64_t last) {
  auto insert = db.prepare("INSERT INTO order_number_blocks (first, last, next) VALUES (?, ?, ?)");
  if (!insert) {
    return insert.error();
  }
  (*insert)->bind(1, first).bind(2, last).bind(3, first);
  return (*insert)->run();
}

Result<std::int64_t> numbersInHand(Database& db) {
  return oneInteger(db, "SELECT coalesce(sum(last - next + 1), 0) FROM order_number_blocks");
}

Result<std::int64_t> takeOrderSequence(Database& db) {
  auto joined = oneInteger(db, "SELECT count(*) FROM sync_state");
  if (!joined) {
    return joined.error();
  }
  if (*joined == 0) {
    // Orders are numbered as they are made, so the last row's id is the highest number
    // (found at once, where reading every number would scan a million orders).
    auto last = oneInteger(db, "SELECT coalesce(max(id), 0) FROM orders");
    if (!last) {
      return last.error();
    }
    return *last + 1;
  }
  auto block = selectOne(
      db, "SELECT first, next FROM order_number_blocks WHERE next <= last ORDER BY first LIMIT 1",
      [](const Statement& row) { return std::pair{row.int64(0), row.int64(1)}; });
  if (!block) {
    return block.error();
  }
  if (!*block) {
    return makeError(ErrorCode::Conflict, "this workstation has given every order number the shared database handed "
                                          "it: sync while the shared database is reachable to get more");
  }
  auto take = db.prepare("UPDATE order_number_blocks SET next = next + 1 WHERE first = ?");
  if (!take) {
    return take.error();
  }
  (*take)->bind(1, (*block)->first);
  if (Status taken = (*take)->run(); !taken) {
    return taken.error();
  }
  return (*block)->second;
}

} // namespace opflow::store
