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

class UserFixture : public StoreFixture {
protected:
  static constexpr const char* kAdmin = "root";
  static constexpr const char* kAdminPassword = "root-secret";

  void SetUp() override {
    StoreFixture::SetUp();
    users = std::make_unique<UserStore>(*store);
    ASSERT_TRUE(users->setPasswordCost(auth::PasswordCost::Minimum, {std::nullopt, "ws-1", ""}));
    auto admin = users->add({kAdmin, domain::Role::Admin, kAdminPassword}, {std::nullopt, "ws-1", ""});
    ASSERT_TRUE(admin) << admin.error().describe();
  }

  static Requester asAdmin() { return {Credentials{kAdmin, kAdminPassword}, "ws-1", ""}; }

  // Adds a user whose password is NAME + "-pw"; a test failure when refused.
  User addUser(const std::string& name, domain::Role role) {
    auto added = users->add({name, role, name + "-pw"}, asAdmin());
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
