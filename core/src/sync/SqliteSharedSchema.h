// The shared SQLite file's numbered migrations (private to core/sync). A released
// migration never changes: a later change is a new number appended to the chain.
#pragma once

#include "opflow/store/Migrations.h"

#include <span>

namespace opflow::sync::detail {

[[nodiscard]] std::span<const store::Migration> sqliteSharedMigrations();

} // namespace opflow::sync::detail
