// The sign-in rules a database keeps, and what its audit log never keeps. The issue
// found sessions that never ended (the next command at a workstation acted as whoever
// had closed the console), one-character passwords, the minimum argon2 cost open to any
// database, a refusal because of --role going unaudited, and a password typed into the
// name field kept in the audit log forever. Each is reproduced on a real SQLite file.
#include "UserTestSupport.h"

#include "opflow/store/AuditReader.h"
#include "opflow/store/Settings.h"
#include "opflow/store/SignatureStore.h"

#include <gmock/gmock.h>

namespace opflow::store::test {
namespace {

using domain::Permission;
using domain::Role;
using ::testing::HasSubstr;
using ::testing::Not;

class SignInPolicyTest : public UserFixture {
protected:
  // Moves a session's last activity `minutes` into the past, as time passing would.
  void idle(const std::string& sessionId, int minutes) {
    Status moved = store->writer().execute([&](Database& db) -> Status {
      auto update = db.prepare("UPDATE user_sessions SET last_active_at = last_active_at - ? WHERE id = ?");
      if (!update) {
        return update.error();
      }
      (*update)->bind(1, std::int64_t{minutes} * 60'000).bind(2, sessionId);
      return (*update)->run();
    });
    ASSERT_TRUE(moved) << moved.error().describe();
  }

  // Every audit entry's canonical text, one after the other.
  std::string wholeAuditText() {
    auto db = reader();
    auto entries = queryAudit(*db, AuditQuery{.limit = 0});
    std::string text;
    for (const AuditEntry& entry : entries ? *entries : std::vector<AuditEntry>{}) {
      text += canonicalJson(entry) + "\n";
    }
    return text;
  }
};

TEST_F(SignInPolicyTest, ASessionIdleOverTheLimitEndsAtItsNextUse) {
  addUser("ana", Role::Operator);
  auto session = users->login({"ana", "ana-password"}, "ws-1");
  ASSERT_TRUE(session);
  EXPECT_TRUE(authorizeActing(*users, "ana", Permission::Act, "ws-1", "run"));

  idle(session->id, 30);
  EXPECT_TRUE(users->authorize(AccessRequest{"ana", Permission::Read, "ws-1", "runs list", std::nullopt, false}))
      << "activity is written once a minute at most: a session is never ended before its limit plus that minute";
  idle(session->id, 2);
  auto expired = authorizeActing(*users, "ana", Permission::Act, "ws-1", "run");
  ASSERT_FALSE(expired) << "30 minutes is the default limit";
  EXPECT_EQ(expired.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(expired.error().message,
            "the session of ana at ws-1 ended after 30 minutes without activity: sign in again (opflow-cli login ana)");
  auto open = users->openSession("ws-1");
  ASSERT_TRUE(open);
  EXPECT_FALSE(*open) << "it has ended for good";
  auto endings = audited("user.session_expired");
  ASSERT_EQ(endings.size(), 1u);
  EXPECT_EQ(endings[0].subjectId, session->id);
  EXPECT_EQ(endings[0].user, "ana");
  EXPECT_EQ(audited("user.refused").back().reason, "the session had been idle for more than 30 minutes");
}

TEST_F(SignInPolicyTest, ActingKeepsASessionAliveReadingDoesNot) {
  addUser("ana", Role::Operator);
  auto session = users->login({"ana", "ana-password"}, "ws-1");
  ASSERT_TRUE(session);
  idle(session->id, 20);
  EXPECT_TRUE(users->authorize(AccessRequest{"ana", Permission::Read, "ws-1", "orders list", std::nullopt, false}));
  idle(session->id, 0);
  auto afterRead = users->openSession("ws-1");
  ASSERT_TRUE(afterRead && *afterRead);
  EXPECT_LT((*afterRead)->lastActiveAtMs, nowMs() - 19 * 60'000) << "a read is not activity";

  EXPECT_TRUE(authorizeActing(*users, "ana", Permission::Act, "ws-1", "run"));
  auto afterAct = users->openSession("ws-1");
  EXPECT_GT((*afterAct)->lastActiveAtMs, nowMs() - 60'000) << "acting is";
  idle(session->id, 25);
  ASSERT_TRUE(users->touch(session->id)) << "the console touches it as its user works";
  idle(session->id, 25);
  EXPECT_TRUE(authorizeActing(*users, "ana", Permission::Act, "ws-1", "run")) << "25 minutes since the touch, not 50";
}

TEST_F(SignInPolicyTest, TheIdleLimitIsAnAdminsSetting) {
  addUser("ana", Role::Operator);
  EXPECT_EQ(users->policy()->sessionIdleMinutes, 30);
  Status byOperator = users->setSessionIdleMinutes(5, {Credentials{"ana", "ana-password"}, "ws-1", ""});
  ASSERT_FALSE(byOperator);
  EXPECT_EQ(byOperator.error().code, ErrorCode::PermissionDenied);
  EXPECT_FALSE(users->setSessionIdleMinutes(0, asAdmin()));
  EXPECT_FALSE(users->setSessionIdleMinutes(2000, asAdmin()));
  ASSERT_TRUE(users->setSessionIdleMinutes(5, asAdmin()));
  EXPECT_EQ(users->policy()->sessionIdleMinutes, 5);

  auto session = users->login({"ana", "ana-password"}, "ws-1");
  ASSERT_TRUE(session);
  idle(session->id, 7);
  auto expired = authorizeActing(*users, "ana", Permission::Read, "ws-1", "orders list");
  ASSERT_FALSE(expired);
  EXPECT_THAT(expired.error().message, HasSubstr("after 5 minutes without activity"));
  auto changed = audited("settings.changed");
  EXPECT_EQ(changed.back().subjectId, "auth.session_idle_minutes");
  EXPECT_EQ(changed.back().before, 30);
  EXPECT_EQ(changed.back().after, 5);
}

TEST_F(SignInPolicyTest, ASignOutSaysWhy) {
  addUser("ana", Role::Operator);
  auto session = users->login({"ana", "ana-password"}, "ws-1");
  ASSERT_TRUE(session);
  ASSERT_TRUE(users->logout(session->id, "the console closed"));
  EXPECT_EQ(audited("user.logout").back().reason, "the console closed");
  EXPECT_FALSE(users->touch(session->id)) << "an ended session is not kept alive";
}

TEST_F(SignInPolicyTest, NewPasswordsHaveTheMinimumLength) {
  auto tooShort = users->add({"ana", Role::Operator, "a"}, asAdmin());
  ASSERT_FALSE(tooShort);
  EXPECT_EQ(tooShort.error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(tooShort.error().message, "the password of \"ana\" has 1 characters: this database asks for 8 to 1024");
  EXPECT_FALSE(users->add({"ana", Role::Operator, "seven77"}, asAdmin()));
  EXPECT_TRUE(users->add({"ana", Role::Operator, "eight888"}, asAdmin()));
  EXPECT_TRUE(users->add({"bo", Role::Operator, "éééééééé"}, asAdmin())) << "characters, not bytes";

  EXPECT_FALSE(users->setMinPasswordLength(4, asAdmin())) << "8 is the least a database may ask";
  ASSERT_TRUE(users->setMinPasswordLength(12, asAdmin()));
  auto eleven = users->add({"cy", Role::Operator, "elevenchars"}, asAdmin());
  ASSERT_FALSE(eleven);
  EXPECT_THAT(eleven.error().message, HasSubstr("asks for 12 to 1024"));
  EXPECT_TRUE(users->login({"ana", "eight888"}, "ws-1")) << "passwords set before still sign in";
}

TEST(PasswordCostTest, TheMinimumCostIsForADemoDatabaseOnly) {
  TempDir dir;
  auto store = LocalStore::open({dir.file("shop.db"), true, Durability::Normal, {}});
  ASSERT_TRUE(store);
  UserStore users(**store);
  Status minimum = users.setPasswordCost(auth::PasswordCost::Minimum, {});
  ASSERT_FALSE(minimum) << "a shop's database hashes at the interactive cost or more";
  EXPECT_EQ(minimum.error().code, ErrorCode::InvalidArgument);
  EXPECT_THAT(minimum.error().message, HasSubstr("for the demo shop only"));
  ASSERT_TRUE(users.setPasswordCost(auth::PasswordCost::Moderate, {}));
  ASSERT_TRUE(users.add({"root", Role::Admin, "root-password"}, {}));
  Status lateDemo = users.markAsDemo({});
  ASSERT_FALSE(lateDemo) << "a database becomes a demo only at its birth";
  EXPECT_EQ(lateDemo.error().code, ErrorCode::Conflict);
  EXPECT_FALSE(users.setPasswordCost(auth::PasswordCost::Minimum, {Credentials{"root", "root-password"}, "ws-1", ""}));
}

TEST(PasswordCostTest, AMinimumCostLeftInAShopsDatabaseIsNotUsed) {
  TempDir dir;
  auto store = LocalStore::open({dir.file("shop.db"), true, Durability::Normal, {}});
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->writer().execute([](Database& db) {
    return writeSetting(db, UserStore::kPasswordCostKey, Json("minimum"));
  })) << "as an older build's init --password-cost minimum left it";
  UserStore users(**store);
  EXPECT_EQ(users.policy()->passwordCost, auth::PasswordCost::Interactive);

  ASSERT_TRUE(users.setPasswordCost(auth::PasswordCost::Interactive, {}));
  auto stored = (*store)->writer().execute([](Database& db) -> Status {
    auto value = readSetting(db, UserStore::kPasswordCostKey);
    if (!value || !*value || **value != Json("interactive")) {
      return makeError(ErrorCode::Internal, "the setting still says minimum");
    }
    return {};
  });
  EXPECT_TRUE(stored) << "setting it again replaces what was left: " << stored.error().describe();
}

TEST_F(SignInPolicyTest, ARoleClaimedWithACommandIsRefusedAndAudited) {
  addUser("ana", Role::Operator);
  ASSERT_TRUE(users->login({"ana", "ana-password"}, "ws-1"));
  auto claimed =
      users->authorize(AccessRequest{"ana", Permission::Act, "ws-1", "run", std::string("supervisor"), true});
  ASSERT_FALSE(claimed);
  EXPECT_EQ(claimed.error().message,
            "ana acts as an operator, as the users table says: a role given with run is refused");
  auto refusals = audited("user.refused");
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].user, "ana");
  EXPECT_EQ(refusals[0].reason, "a role was given (supervisor); the users table decides");
}

TEST_F(SignInPolicyTest, ANameNobodyHasIsNeverRecordedAsTyped) {
  addUser("ana", Role::Operator);
  const std::string typedIntoTheNameField = "Tr0ub4dor&3";
  ASSERT_FALSE(users->login({typedIntoTheNameField, "ana-password"}, "ws-1"));
  ASSERT_FALSE(users->add({"eve", Role::Operator, "eve-password"}, {Credentials{typedIntoTheNameField, "x"}, "ws-1", ""}));
  ASSERT_FALSE(authorizeActing(*users, typedIntoTheNameField, Permission::Act, "ws-1", "run"));
  SignatureStore signatures(*store, *users);
  ASSERT_FALSE(signatures.sign({typedIntoTheNameField, "x", "approved", "run", "r-1", "ws-1", "", ""}));

  const std::string text = wholeAuditText();
  EXPECT_THAT(text, Not(HasSubstr(typedIntoTheNameField)));
  EXPECT_THAT(text, Not(HasSubstr("Tr0ub")));
  EXPECT_EQ(audited("user.login_failed")[0].user, "(unknown name, 11 characters)");
  EXPECT_EQ(audited("user.login_failed")[0].subjectId, "(unknown name, 11 characters)");
  EXPECT_EQ(audited("user.refused").size(), 2u);
  EXPECT_EQ(audited("signature.refused")[0].user, "(unknown name, 11 characters)");

  ASSERT_FALSE(users->login({"ana", "wrong password"}, "ws-1"));
  EXPECT_EQ(audited("user.login_failed")[1].user, "ana") << "a known name is kept: who failed matters";
}

TEST_F(SignInPolicyTest, ReadsFollowTheConsolesRulesInCore) {
  addUser("ana", Role::Operator);
  addUser("max", Role::Manager);
  addUser("sam", Role::Supervisor);
  AuditReader reader(*store, *users);
  const AuditReaderIdentity here{"", "ws-1"};

  auto nobody = reader.list(here, {});
  ASSERT_FALSE(nobody);
  EXPECT_THAT(nobody.error().message, HasSubstr("nobody is signed in at ws-1"));

  ASSERT_TRUE(users->login({"ana", "ana-password"}, "ws-1"));
  auto operatorReads = reader.list(here, {});
  ASSERT_FALSE(operatorReads);
  EXPECT_EQ(operatorReads.error().message, "ana may not review the audit log: ana is an operator");
  EXPECT_TRUE(reader.list(here, AuditQuery{.orderNumber = "ORD-000001"})) << "an order's trail, as the order view";
  EXPECT_FALSE(reader.verify(here));

  ASSERT_TRUE(users->login({"max", "max-password"}, "ws-1"));
  EXPECT_TRUE(reader.list(here, {}));
  EXPECT_TRUE(reader.verify(here));
  std::ostringstream out;
  EXPECT_FALSE(reader.exportTo(here, {}, AuditExportFormat::Csv, out)) << "export is a supervisor's";

  ASSERT_TRUE(users->login({"sam", "sam-password"}, "ws-1"));
  EXPECT_TRUE(reader.exportTo(here, {}, AuditExportFormat::Csv, out));
  EXPECT_FALSE(reader.list({"max", "ws-1"}, {})) << "max is no longer signed in here";

  auto refusals = audited("user.refused");
  ASSERT_EQ(refusals.size(), 5u);
  EXPECT_EQ(refusals[0].after["command"], "audit list");
  EXPECT_EQ(refusals[3].after["command"], "audit export");
}

} // namespace
} // namespace opflow::store::test
