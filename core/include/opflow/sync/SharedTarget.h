// SharedTarget: what names a shared database (a file path for the shared SQLite file, a
// PostgreSQL URL or connection string), how a person may see it (a password never shown),
// and opening it.
// Thread-safety: free functions.
#pragma once

#include "opflow/Result.h"
#include "opflow/sync/SharedDatabase.h"

#include <memory>
#include <string>

namespace opflow::sync {

// Whether `target` names a PostgreSQL server ("postgresql://...", "postgres://...", or a
// "key=value" connection string) rather than a file.
[[nodiscard]] bool isPostgresTarget(const std::string& target);

// `target` with any password replaced by "***" (in a URL's user info, a "password="
// parameter or a "password=" key).
[[nodiscard]] std::string redactedTarget(const std::string& target);

// Opens the shared database `target` names; `create` makes or migrates it (only `shared
// init` does), otherwise a missing one is unreachable (Io), as is a server that does not
// answer within `connectTimeout`.
[[nodiscard]] Result<std::unique_ptr<SharedDatabase>> openSharedDatabase(
    const std::string& target, bool create, std::chrono::seconds connectTimeout = kSharedConnectTimeout);

} // namespace opflow::sync
