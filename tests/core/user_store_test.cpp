// UserStore on a real database with real argon2id: the bootstrap admin, adds and
// disables that only an admin may do, sign-ins per workstation (a new one ends the one
// before), failed sign-ins audited with their reason, and the per-database password cost.
#include "UserTestSupport.h"

#include <gmock/gmock.h>

namespace opflow::store::test {
namespace {

using domain::Permission;
using domain::Role;
using ::testing::HasSubstr;
using ::testing::Not;

class UserStoreTest : public UserFixture {};

TEST(RoleTest, NamesParseAndUnknownOnesListTheValidRoles) {
  for (Role role : domain::allRoles()) {
    auto parsed = domain::parseRole(domain::toString(role));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, role);
  }
  auto unknown = domain::parseRole("boss");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "unknown role \"boss\" (valid: operator, supervisor, manager, admin)");
}

TEST(RoleTest, AManagerReadsEverythingAndChangesNothing) {
  EXPECT_TRUE(domain::allows(Role::Manager, Permission::Read));
  for (Permission change : {Permission::Act, Permission::Sign, Permission::Supervise, Permission::Administer}) {
    EXPECT_FALSE(domain::allows(Role::Manager, change));
  }
  EXPECT_TRUE(domain::allows(Role::Operator, Permission::Act));
  EXPECT_FALSE(domain::allows(Role::Operator, Permission::Supervise));
  EXPECT_TRUE(domain::allows(Role::Supervisor, Permission::Supervise));
  EXPECT_TRUE(domain::allows(Role::Admin, Permission::Administer));
  EXPECT_FALSE(domain::allows(Role::Supervisor, Permission::Administer));
}

TEST(PasswordHashTest, Argon2idAtTheInteractiveCostVerifiesOnlyItsPassword) {
  auto hash = auth::hashPassword("correct horse");
  ASSERT_TRUE(hash) << hash.error().describe();
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
  EXPECT_THAT(*hash, HasSubstr("m=65536,t=2")) << "libsodium's interactive preset";
  EXPECT_TRUE(auth::verifyPassword(*hash, "correct horse"));
  EXPECT_FALSE(auth::verifyPassword(*hash, "correct horse "));
  EXPECT_FALSE(auth::verifyPassword("not a hash", "correct horse"));
  EXPECT_FALSE(auth::verifyPassword("", ""));
}

TEST(PasswordHashTest, EachHashHasItsOwnSaltAndCostsParseByName) {
  auto first = auth::hashPassword("long-enough-pw", auth::PasswordCost::Minimum);
  auto second = auth::hashPassword("long-enough-pw", auth::PasswordCost::Minimum);
  ASSERT_TRUE(first && second);
  EXPECT_NE(*first, *second);
  EXPECT_TRUE(auth::verifyPassword(*second, "long-enough-pw"));
  EXPECT_FALSE(auth::hashPassword(""));
  auto cost = auth::parsePasswordCost("moderate");
  ASSERT_TRUE(cost);
  EXPECT_EQ(*cost, auth::PasswordCost::Moderate);
  auto bad = auth::parsePasswordCost("cheap");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("minimum, interactive, moderate, sensitive"));
}

TEST_F(UserStoreTest, TheBootstrapAdminIsAuditedWithoutItsPassword) {
  auto root = users->get("ROOT");
  ASSERT_TRUE(root) << "names match case-insensitively";
  EXPECT_EQ(root->name, "root");
  EXPECT_EQ(root->role, Role::Admin);
  EXPECT_FALSE(root->disabled);

  auto entries = audited("user.added");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].user, "root");
  EXPECT_EQ(entries[0].subjectType, "user");
  EXPECT_EQ(entries[0].subjectId, "root");
  EXPECT_EQ(entries[0].after, (Json{{"name", "root"}, {"role", "admin"}, {"disabled", false}}));
  EXPECT_THAT(entries[0].reason, HasSubstr("bootstrap"));
  std::string text = canonicalJson(entries[0]);
  EXPECT_THAT(text, Not(HasSubstr(kAdminPassword)));
  EXPECT_THAT(text, Not(HasSubstr("argon2")));
}

TEST(UserBootstrapTest, TheFirstUserMustBeAnAdminAndNeedsNoCredentials) {
  TempDir dir;
  auto store = LocalStore::open({dir.file("opflow.db"), true, Durability::Normal, {}});
  ASSERT_TRUE(store);
  UserStore users(**store);
  ASSERT_TRUE(users.markAsDemo({}));
  ASSERT_TRUE(users.setPasswordCost(auth::PasswordCost::Minimum, {}));
  auto empty = users.empty();
  ASSERT_TRUE(empty);
  EXPECT_TRUE(*empty);

  auto operatorFirst = users.add({"ana", Role::Operator, "long-enough-pw"}, {});
  ASSERT_FALSE(operatorFirst);
  EXPECT_EQ(operatorFirst.error().code, ErrorCode::InvalidArgument);
  EXPECT_THAT(operatorFirst.error().message, HasSubstr("the first one must be an admin"));
  auto withCredentials = users.add({"root", Role::Admin, "long-enough-pw"}, {Credentials{"root", "long-enough-pw"}, "ws-1", ""});
  ASSERT_FALSE(withCredentials);
  EXPECT_THAT(withCredentials.error().message, HasSubstr("without an admin's credentials"));

  ASSERT_TRUE(users.add({"root", Role::Admin, "long-enough-pw"}, {}));
  auto second = users.add({"ben", Role::Admin, "long-enough-pw"}, {});
  ASSERT_FALSE(second) << "after the bootstrap, an admin must vouch";
  EXPECT_EQ(second.error().code, ErrorCode::PermissionDenied);
}

TEST_F(UserStoreTest, OnlyAnEnabledAdminWithTheirPasswordAddsUsers) {
  addUser("sam", Role::Supervisor);
  auto bySupervisor = users->add({"eve", Role::Operator, "long-enough-pw"}, {Credentials{"sam", "sam-password"}, "ws-1", ""});
  ASSERT_FALSE(bySupervisor);
  EXPECT_EQ(bySupervisor.error().code, ErrorCode::PermissionDenied);
  EXPECT_THAT(bySupervisor.error().message, HasSubstr("\"sam\" is a supervisor: only an admin may"));

  auto wrongPassword = users->add({"eve", Role::Operator, "long-enough-pw"}, {Credentials{kAdmin, "guess"}, "ws-1", ""});
  ASSERT_FALSE(wrongPassword);
  EXPECT_EQ(wrongPassword.error().code, ErrorCode::PermissionDenied);
  EXPECT_THAT(wrongPassword.error().message, HasSubstr("unknown user or wrong password"));

  auto refusals = audited("user.refused");
  ASSERT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals[0].user, "sam");
  EXPECT_EQ(refusals[0].subjectId, "eve");
  EXPECT_EQ(refusals[0].after["command"], "user.add");
  EXPECT_EQ(refusals[0].reason, "a supervisor is not an admin");
  EXPECT_EQ(refusals[1].reason, "admin check failed: wrong password");
  EXPECT_FALSE(users->get("eve")) << "nothing was added";
}

TEST_F(UserStoreTest, NamesAreUniqueCaseInsensitivelyAndMustBePlain) {
  addUser("ana", Role::Operator);
  auto duplicate = users->add({"ANA", Role::Supervisor, "long-enough-pw"}, asAdmin());
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::Conflict);
  EXPECT_EQ(duplicate.error().message, "user \"ana\" exists already");
  for (const std::string& bad : {std::string(), std::string("two words"), std::string(65, 'a')}) {
    auto refused = users->add({bad, Role::Operator, "long-enough-pw"}, asAdmin());
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidArgument);
  }
  auto noPassword = users->add({"bo", Role::Operator, ""}, asAdmin());
  ASSERT_FALSE(noPassword);
  EXPECT_EQ(noPassword.error().code, ErrorCode::InvalidArgument);

  auto listed = users->list();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "ana");
  EXPECT_EQ((*listed)[1].name, "root");
}

TEST_F(UserStoreTest, LoginOpensASessionAndANewLoginAtTheWorkstationEndsIt) {
  addUser("ana", Role::Operator);
  addUser("ben", Role::Operator);
  auto first = users->login({"ana", "ana-password"}, "press-3");
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->user, "ana");
  EXPECT_EQ(first->role, Role::Operator);
  EXPECT_EQ(first->workstation, "press-3");
  EXPECT_FALSE(first->endedAtMs);
  auto elsewhere = users->login({"ana", "ana-password"}, "press-4");
  ASSERT_TRUE(elsewhere);

  auto second = users->login({"ben", "ben-password"}, "press-3");
  ASSERT_TRUE(second);
  auto open = users->openSession("press-3");
  ASSERT_TRUE(open);
  ASSERT_TRUE(*open);
  EXPECT_EQ((*open)->id, second->id);
  auto stillOpen = users->openSession("press-4");
  ASSERT_TRUE(stillOpen && *stillOpen);
  EXPECT_EQ((*stillOpen)->id, elsewhere->id) << "a sign-in elsewhere is not touched";

  auto logins = audited("user.login");
  ASSERT_EQ(logins.size(), 3u);
  EXPECT_EQ(logins[2].user, "ben");
  EXPECT_EQ(logins[2].workstation, "press-3");
  EXPECT_EQ(logins[2].after["ended_sessions"], Json::array({first->id}));

  auto ended = users->logout(second->id);
  ASSERT_TRUE(ended);
  EXPECT_TRUE(ended->endedAtMs);
  auto none = users->openSession("press-3");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto again = users->logout(second->id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::Conflict);
  ASSERT_EQ(audited("user.logout").size(), 1u);
  EXPECT_EQ(audited("user.logout")[0].subjectId, second->id);
}

TEST_F(UserStoreTest, FailedLoginsAreAuditedWithTheReasonAndTellTheCallerNothingMore) {
  addUser("ana", Role::Operator);
  auto unknown = users->login({"nobody", "wrong-password"}, "press-3");
  auto wrong = users->login({"ana", "wrong-password"}, "press-3");
  ASSERT_FALSE(unknown);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(unknown.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  EXPECT_EQ(unknown.error().message, "unknown user or wrong password");

  ASSERT_TRUE(users->disable("ana", asAdmin()));
  auto disabled = users->login({"ana", "ana-password"}, "press-3");
  ASSERT_FALSE(disabled);
  EXPECT_THAT(disabled.error().message, HasSubstr("disabled"));
  auto disabledWrong = users->login({"ana", "wrong-password"}, "press-3");
  ASSERT_FALSE(disabledWrong);
  EXPECT_EQ(disabledWrong.error().message, "unknown user or wrong password") << "no password, no news";

  auto failures = audited("user.login_failed");
  ASSERT_EQ(failures.size(), 4u);
  EXPECT_EQ(failures[0].user, "(unknown name, 6 characters)") << "a name nobody has may be a password typed there";
  EXPECT_THAT(canonicalJson(failures[0]), Not(HasSubstr("nobody")));
  EXPECT_EQ(failures[0].reason, "unknown user");
  EXPECT_EQ(failures[1].user, "ana");
  EXPECT_EQ(failures[1].reason, "wrong password");
  EXPECT_EQ(failures[2].reason, "disabled");
  EXPECT_EQ(failures[3].reason, "wrong password");
  for (const AuditEntry& entry : failures) {
    EXPECT_EQ(entry.workstation, "press-3");
    EXPECT_THAT(canonicalJson(entry), Not(HasSubstr("ana-password")));
  }
  auto open = users->openSession("press-3");
  ASSERT_TRUE(open);
  EXPECT_FALSE(*open);
}

TEST_F(UserStoreTest, DisablingEndsSessionsAndKeepsTheLastAdmin) {
  addUser("ana", Role::Operator);
  ASSERT_TRUE(users->login({"ana", "ana-password"}, "press-3"));
  auto refused = users->disable("ana", {Credentials{"ana", "ana-password"}, "ws-1", ""});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::PermissionDenied);

  auto disabled = users->disable("ana", asAdmin());
  ASSERT_TRUE(disabled) << disabled.error().describe();
  EXPECT_TRUE(disabled->disabled);
  EXPECT_TRUE(users->get("ana")->disabled);
  auto open = users->openSession("press-3");
  ASSERT_TRUE(open);
  EXPECT_FALSE(*open);
  auto entries = audited("user.disabled");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].user, "root");
  EXPECT_EQ(entries[0].subjectId, "ana");
  EXPECT_EQ(entries[0].after, (Json{{"disabled", true}, {"sessions_ended", 1}}));

  auto twice = users->disable("ana", asAdmin());
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::Conflict);
  auto missing = users->disable("nobody", asAdmin());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
  auto lastAdmin = users->disable(kAdmin, asAdmin());
  ASSERT_FALSE(lastAdmin);
  EXPECT_THAT(lastAdmin.error().message, HasSubstr("last enabled admin"));
}

TEST_F(UserStoreTest, AuthorizeRefusesUnknownDisabledAndManagersChangingThings) {
  addUser("ana", Role::Operator);
  addUser("max", Role::Manager);
  addUser("old", Role::Operator);
  ASSERT_TRUE(users->disable("old", asAdmin()));

  ASSERT_TRUE(users->login({"ana", "ana-password"}, "ws-1"));
  auto ana = authorizeActing(*users, "ana", Permission::Act, "ws-1", "run");
  ASSERT_TRUE(ana);
  EXPECT_EQ(ana->role, Role::Operator);
  ASSERT_TRUE(users->login({"max", "max-password"}, "ws-1"));
  EXPECT_TRUE(authorizeActing(*users, "max", Permission::Read, "ws-1", "runs list"));

  auto unknown = authorizeActing(*users, "nobody", Permission::Act, "ws-1", "run");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::NotFound);
  EXPECT_THAT(unknown.error().message, HasSubstr("unknown user \"nobody\""));
  auto disabled = authorizeActing(*users, "old", Permission::Act, "ws-1", "signal");
  ASSERT_FALSE(disabled);
  EXPECT_EQ(disabled.error().code, ErrorCode::PermissionDenied);
  auto manager = authorizeActing(*users, "max", Permission::Act, "ws-1", "cancel");
  ASSERT_FALSE(manager);
  EXPECT_EQ(manager.error().code, ErrorCode::PermissionDenied);

  auto refusals = audited("user.refused");
  ASSERT_EQ(refusals.size(), 3u);
  EXPECT_EQ(refusals[0].reason, "unknown user");
  EXPECT_EQ(refusals[0].after["command"], "run");
  EXPECT_EQ(refusals[1].reason, "disabled");
  EXPECT_EQ(refusals[2].user, "max");
  EXPECT_EQ(refusals[2].role, "manager");
  EXPECT_EQ(refusals[2].reason, "a manager may not run operations or change anything");
}

TEST_F(UserStoreTest, AuthorizeOnlyWhoIsSignedInAtTheWorkstation) {
  addUser("ana", Role::Operator);
  addUser("sam", Role::Supervisor);

  auto nobodySignedIn = authorizeActing(*users, "ana", Permission::Act, "ws-1", "run");
  ASSERT_FALSE(nobodySignedIn);
  EXPECT_EQ(nobodySignedIn.error().code, ErrorCode::PermissionDenied);
  EXPECT_THAT(nobodySignedIn.error().message, HasSubstr("ana is not signed in at ws-1"));

  ASSERT_TRUE(users->login({"ana", "ana-password"}, "ws-1"));
  EXPECT_TRUE(authorizeActing(*users, "ana", Permission::Act, "ws-1", "run"));
  auto impostor = authorizeActing(*users, "sam", Permission::Supervise, "ws-1", "decide");
  ASSERT_FALSE(impostor) << "naming a supervisor is not being one";
  EXPECT_THAT(impostor.error().message, HasSubstr("(ana is)"));
  EXPECT_FALSE(authorizeActing(*users, "ana", Permission::Act, "ws-2", "run")) << "signed in at ws-1, not ws-2";

  auto refusals = audited("user.refused");
  ASSERT_EQ(refusals.size(), 3u);
  EXPECT_EQ(refusals[1].user, "sam");
  EXPECT_EQ(refusals[1].reason, "not signed in at this workstation");
}

// The console hands its action's correlation id to the sign-in and to a check, so that the
// reference it shows finds their audit entries; without one, each gets its own.
TEST_F(UserStoreTest, AFailedSignInAndARefusalCarryTheAskingActionsCorrelationId) {
  addUser("ana", Role::Operator);
  ASSERT_FALSE(users->login({"ana", "wrong-password"}, "ws-1", "console-action-1"));
  ASSERT_FALSE(users->login({"ana", "wrong-password"}, "ws-1"));
  ASSERT_TRUE(users->login({"ana", "ana-password"}, "ws-1", "console-action-2"));
  AccessRequest review{"ana", Permission::ReviewAudit, "ws-1", "audit list", std::nullopt, false, "console-action-3"};
  ASSERT_FALSE(users->authorize(review));

  auto failures = audited("user.login_failed");
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].correlationId, "console-action-1");
  EXPECT_FALSE(failures[1].correlationId.empty());
  EXPECT_NE(failures[1].correlationId, "console-action-1");
  EXPECT_EQ(audited("user.login").back().correlationId, "console-action-2");
  EXPECT_EQ(audited("user.refused").back().correlationId, "console-action-3");
}

TEST_F(UserStoreTest, ThePasswordCostIsAPerDatabaseSettingOnlyAnAdminChanges) {
  auto cost = users->policy();
  ASSERT_TRUE(cost);
  EXPECT_EQ(cost->passwordCost, auth::PasswordCost::Minimum);
  Status anonymous = users->setPasswordCost(auth::PasswordCost::Interactive, {});
  ASSERT_FALSE(anonymous) << "there are users now";
  EXPECT_EQ(anonymous.error().code, ErrorCode::PermissionDenied);

  ASSERT_TRUE(users->setPasswordCost(auth::PasswordCost::Interactive, asAdmin()));
  EXPECT_EQ(users->policy()->passwordCost, auth::PasswordCost::Interactive);
  addUser("ana", Role::Operator);
  auto db = reader();
  auto hash = db->prepareUncached("SELECT password_hash FROM users WHERE name = 'ana'");
  ASSERT_TRUE(hash);
  ASSERT_TRUE(*(*hash)->step());
  EXPECT_THAT((*hash)->text(0), HasSubstr("m=65536,t=2")) << "new hashes take the new cost";
  EXPECT_TRUE(users->login({kAdmin, kAdminPassword}, "ws-1")) << "old hashes keep theirs";

  auto changes = audited("settings.changed");
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].subjectId, "database.demo") << "a throw-away database, as the demo shop is";
  EXPECT_EQ(changes[1].subjectId, "auth.password_cost");
  EXPECT_EQ(changes[1].after, "minimum");
  EXPECT_EQ(changes[2].user, "root");
  EXPECT_EQ(changes[2].before, "minimum");
  EXPECT_EQ(changes[2].after, "interactive");
}

} // namespace
} // namespace opflow::store::test
