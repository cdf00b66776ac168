// Reading one page of an order list (private to core/store; OrderStore::list is the API).
#pragma once

#include "opflow/store/Database.h"
#include "opflow/store/Order.h"

namespace opflow::store::detail {

// The page `query` asks for, read on `db` in one snapshot. InvalidArgument for a limit
// out of range, a malformed or foreign cursor, or more than one of after/before/last.
[[nodiscard]] Result<OrderPage> readOrderPage(Database& db, const OrderQuery& query);

} // namespace opflow::store::detail
