// Users and settings as they travel to and from the shared database, so the shop has one
// set of people and rules: a "user.changed" event carries the user's row as an admin's
// change left it (the password hash, never a password), a "setting.changed" event a
// sign-in setting's key and value. Taking another workstation's change into this database
// writes an audit entry ("user.pulled", "settings.pulled") and nothing to the outbox.
// Thread-safety: free functions on the writer's connection, inside the caller's
// transaction.
#pragma once

#include "opflow/Json.h"
#include "opflow/domain/Role.h"
#include "opflow/store/Database.h"
#include "opflow/store/SharedOrders.h"

#include <string>
#include <string_view>

namespace opflow::store {

// A user as the shared database knows them.
struct SharedUser {
  std::string name;
  domain::Role role = domain::Role::Operator;
  bool disabled = false;
  std::string passwordHash;
  std::int64_t createdAtMs = 0;
  std::int64_t updatedAtMs = 0;
};

// {"name", "role", "disabled", "password_hash", "created_at", "updated_at"}, every field
// checked; InvalidArgument naming the first that is wrong.
[[nodiscard]] Result<SharedUser> sharedUserFromJson(const Json& json);

// Whether a setting is the shop's (the sign-in rules), so it travels; a database's own
// marks (a demo database) never do.
[[nodiscard]] bool isSharedSetting(std::string_view key);

// Queues user `name` as the row is now, after `action` by `by`.
[[nodiscard]] Status publishUser(Database& db, const std::string& name, const std::string& action,
                                 const std::string& by);
// Queues a shared setting's new value, set by `by`.
[[nodiscard]] Status publishSetting(Database& db, std::string_view key, const Json& value, const std::string& by);

// Makes the local user the shared one (a new row when they are new here); a user disabled
// there has their sessions here ended. False, and nothing written, when the row is that
// already.
[[nodiscard]] Result<bool> takeSharedUser(Database& db, const SharedUser& user, const SharedOrderOrigin& origin,
                                          const OrderActor& sync);
// Sets a shared setting as another workstation's admin set it; InvalidArgument for a key
// that is not the shop's. False when the value is that already.
[[nodiscard]] Result<bool> takeSharedSetting(Database& db, const std::string& key, const Json& value,
                                             const SharedOrderOrigin& origin, const OrderActor& sync);

} // namespace opflow::store
