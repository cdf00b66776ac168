// `opflow-cli seed | orders list | orders count | orders show`: demo data and the order
// lists and counts as the console shows them. JSON shapes are relied on by scripts:
//   orders list   {"orders": [{"number", "status", "customer", "priority", "price",
//                  "created_at", "updated_at", "version"}], "next_cursor": STRING_OR_NULL}
//   orders count  {"total": N, "by_status": {"STATUS": N}}
// Times are ISO-8601 UTC with milliseconds; price is in currency units (null before the
// price is calculated). Bad input (unknown status, malformed cursor, bad limit, missing
// database) prints the reason and exits 2 without writing anything.
// Thread-safety: single-threaded.
#pragma once

#include "CliContext.h"

namespace opflow::cli {

// Adds `seed` and `orders list|count|show`.
void registerOrdersCommands(CLI::App& app, CliContext& context);

} // namespace opflow::cli
