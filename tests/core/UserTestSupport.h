// Test support for the user and signature tests: a store fixture with a UserStore at the
// minimum password cost (a per-database setting, set before the first user as `init`
// does) and a bootstrap admin, plus helpers to add people and read the audit log.
// Thread-safety: used from the test thread.
#pragma once

#include "StoreTestSupport.h"

#include "opflow/store/AuditLog.h"
#include "opflow/store/UserStore.h"

#include <string>
#include <vector>

namespace opflow::store::test {

// Writes a signatures row as SignatureStore::sign would (adding the signer as a user when
// missing), for tests of what a change records about a signature it is given.
inline void recordSignatureRow(LocalStore& store, const std::string& id, const std::string& signer,
                               const std::string& role, const std::string& meaning, std::int64_t atMs) {
  Status written = store.writer().execute([&](Database& db) -> Status {
    auto user = db.prepare("INSERT OR IGNORE INTO users (name, role, password_hash, created_at, updated_at) "
                           "VALUES (?, ?, 'no password: test signer', 0, 0)");
    if (!user) {
      return user.error();
    }
    (*user)->bind(1, signer).bind(2, role);
    if (Status added = (*user)->run(); !added) {
      return added;
    }
    auto row = db.prepare("INSERT OR IGNORE INTO signatures (id, signer, role, meaning, subject_type, subject_id, "
                          "workstation, at) VALUES (?, ?, ?, ?, 'run', 'test-run', 'ws-1', ?)");
    if (!row) {
      return row.error();
    }
    (*row)->bind(1, id).bind(2, signer).bind(3, role).bind(4, meaning).bind(5, atMs);
    return (*row)->run();
  });
  ASSERT_TRUE(written) << written.error().describe();
}

// `name` asks to act (activity counts) with `permission` at `workstation` for `command`.
inline Result<User> authorizeActing(UserStore& users, const std::string& name, domain::Permission permission,
                                    const std::string& workstation, const std::string& command) {
  return users.authorize(AccessRequest{name, permission, workstation, command, std::nullopt, true});
}

class UserFixture : public StoreFixture {
protected:
  static constexpr const char* kAdmin = "root";
  static constexpr const char* kAdminPassword = "root-secret";

  void SetUp() override {
    StoreFixture::SetUp();
    users = std::make_unique<UserStore>(*store);
    // A throw-away database, like the demo shop: its test passwords may hash cheaply.
    ASSERT_TRUE(users->markAsDemo({std::nullopt, "ws-1", ""}));
    ASSERT_TRUE(users->setPasswordCost(auth::PasswordCost::Minimum, {std::nullopt, "ws-1", ""}));
    auto admin = users->add({kAdmin, domain::Role::Admin, kAdminPassword}, {std::nullopt, "ws-1", ""});
    ASSERT_TRUE(admin) << admin.error().describe();
  }

  static Requester asAdmin() { return {Credentials{kAdmin, kAdminPassword}, "ws-1", ""}; }

  // Adds a user whose password is NAME + "-password"; a test failure when refused.
  User addUser(const std::string& name, domain::Role role) {
    auto added = users->add({name, role, name + "-password"}, asAdmin());
    EXPECT_TRUE(added) << added.error().describe();
    return added ? *added : User{};
  }

  // Audit entries with `action`, in chain order.
  std::vector<AuditEntry> audited(const std::string& action) {
    auto db = reader();
    AuditQuery query;
    query.action = action;
    auto entries = queryAudit(*db, query);
    EXPECT_TRUE(entries) << entries.error().describe();
    return entries ? *entries : std::vector<AuditEntry>{};
  }

  std::unique_ptr<UserStore> users;
};

} // namespace opflow::store::test
