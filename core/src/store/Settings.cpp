#include "opflow/store/Settings.h"

#include <fmt/format.h>

namespace opflow::store {

Result<std::optional<Json>> readSetting(Database& db, std::string_view key) {
  auto text = selectOne(db, "SELECT value FROM settings WHERE key = ?",
                        [](const Statement& row) { return row.text(0); }, key);
  if (!text) {
    return text.error();
  }
  if (!*text) {
    return std::optional<Json>();
  }
  Json value = Json::parse(**text, nullptr, false);
  if (value.is_discarded()) {
    return makeError(ErrorCode::Internal, fmt::format("setting \"{}\" is not JSON", key));
  }
  return std::optional<Json>(std::move(value));
}

Status writeSetting(Database& db, std::string_view key, const Json& value) {
  auto upsert = db.prepare(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!upsert) {
    return upsert.error();
  }
  (*upsert)->bind(1, key).bind(2, value.dump());
  return (*upsert)->run();
}

} // namespace opflow::store
