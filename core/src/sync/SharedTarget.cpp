#include "opflow/sync/SharedTarget.h"

#include "opflow/sync/PostgresSharedDatabase.h"
#include "opflow/sync/SqliteSharedDatabase.h"

#include <fmt/format.h>

#include <regex>

namespace opflow::sync {

bool isPostgresTarget(const std::string& target) {
  // A URL of either scheme (any case), or a libpq "key=value" connection string.
  return std::regex_search(target, std::regex(R"(^postgres(ql)?://)", std::regex::icase)) ||
         std::regex_search(target, std::regex(R"(^\s*[A-Za-z_]+\s*=)"));
}

std::string redactedTarget(const std::string& target) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  // (the last "@" ends the user info: a password may hold one)
  std::string shown = std::regex_replace(target, std::regex(R"(^(postgres(?:ql)?://[^:/@]*):.*@)", std::regex::icase),
                                         "$1:***@");
  // ...?password=secret&... and password=secret (a connection string, quoted or not)
  shown = std::regex_replace(shown, std::regex(R"(([?&]password=)[^&]*)"), "$1***");
  return std::regex_replace(shown, std::regex(R"(((?:^|\s)password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+))", std::regex::icase),
                            "$1***");
}

Result<std::unique_ptr<SharedDatabase>> openSharedDatabase(const std::string& target, bool create,
                                                           std::chrono::seconds connectTimeout) {
  if (target.empty()) {
    return makeError(ErrorCode::InvalidArgument, "name the shared database: a file path or a PostgreSQL URL");
  }
  if (isPostgresTarget(target)) {
    auto opened = create ? PostgresSharedDatabase::create(target) : PostgresSharedDatabase::open(target, connectTimeout);
    if (!opened) {
      return opened.error();
    }
    return std::unique_ptr<SharedDatabase>(std::move(opened).value());
  }
  auto opened = create ? SqliteSharedDatabase::create(target) : SqliteSharedDatabase::open(target);
  if (!opened) {
    return opened.error();
  }
  return std::unique_ptr<SharedDatabase>(std::move(opened).value());
}

} // namespace opflow::sync
