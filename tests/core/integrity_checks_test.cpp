// `audit verify` checks the database against its chain. The issue showed that anyone who
// can write the SQLite file could forge a session, a role, a signature row, an order's
// price or status, or drop the protecting triggers, and the chain still verified. Each
// forgery is made here with a raw sqlite3 connection on a database built through the real
// stores, and each must be named; the untouched database must verify clean.
#include "AuditTestSupport.h"
#include "UserTestSupport.h"

#include "opflow/store/OrderSeeder.h"
#include "opflow/store/OrderStore.h"
#include "opflow/store/SignatureStore.h"

#include <fmt/format.h>
#include <gmock/gmock.h>

namespace opflow::store::test {
namespace {

using domain::OrderStatus;
using domain::Role;
using ::testing::HasSubstr;

class IntegrityChecksTest : public UserFixture {
protected:
  void SetUp() override {
    UserFixture::SetUp();
    addUser("ana", Role::Operator);
    addUser("sam", Role::Supervisor);
    ASSERT_TRUE(users->login({"ana", "ana-password"}, "ws-1"));
    orders = std::make_unique<OrderStore>(*store);
    auto created = orders->create({"", "Acme", 1, std::nullopt, "PLA", "", {}, Json::object()}, ana);
    ASSERT_TRUE(created) << created.error().describe();
    number = created->number;
    ASSERT_TRUE(orders->transition(number, OrderStatus::FileUploaded, ana, TransitionRecord{Json{{"file_name", "a.stl"}}}));
    ASSERT_TRUE(orders->transition(number, OrderStatus::Submitted, ana));
    ASSERT_TRUE(orders->transition(number, OrderStatus::PriceCalculated, ana, TransitionRecord{Json{{"price_cents", 1999}}}));
    ASSERT_TRUE(orders->hold(number, domain::HoldReason::Payment, {"sam", "supervisor", "ws-1", "", ""}, "waiting"));
    SignatureStore signatures(*store, *users);
    auto signature = signatures.sign({"sam", "sam-password", "approved for manufacturing", "run", "r-1", "ws-1", "", ""});
    ASSERT_TRUE(signature) << signature.error().describe();
    signatureId = signature->id;
    auto seeded = seedOrders(*store, {20, 3, 10, {kAdmin, "admin", "ws-1", "", ""}});
    ASSERT_TRUE(seeded) << seeded.error().describe();
  }

  AuditVerification verify() {
    auto db = reader();
    auto verification = verifyAudit(*db);
    EXPECT_TRUE(verification) << (verification ? "" : verification.error().describe());
    return verification ? *verification : AuditVerification{};
  }

  // An owner of the file with sqlite3: no writer, no store, triggers where they are.
  void forge(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dbPath().c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    EXPECT_EQ(rc, SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
  }

  // The one finding the verification has, as "check subject: problem".
  static std::string onlyFinding(const AuditVerification& verification) {
    EXPECT_TRUE(verification.chainIntact) << "the chain itself was not touched";
    EXPECT_FALSE(verification.intact);
    EXPECT_EQ(verification.findingCount, 1);
    if (verification.findings.size() != 1) {
      return {};
    }
    const IntegrityFinding& finding = verification.findings[0];
    return finding.check + " " + finding.subject + ": " + finding.problem;
  }

  const OrderActor ana{"ana", "operator", "ws-1", "", ""};
  std::unique_ptr<OrderStore> orders;
  std::string number;
  std::string signatureId;
};

TEST_F(IntegrityChecksTest, ADatabaseMadeByItsStoresVerifiesClean) {
  AuditVerification verification = verify();
  EXPECT_TRUE(verification.intact);
  EXPECT_EQ(verification.findingCount, 0) << (verification.findings.empty() ? ""
                                                                            : verification.findings[0].problem);
}

TEST_F(IntegrityChecksTest, AForgedSignatureRowIsNamed) {
  forge("INSERT INTO signatures (id, signer, role, meaning, subject_type, subject_id, workstation, at) "
        "VALUES ('forged-1', 'sam', 'supervisor', 'order closed', 'run', 'r-9', 'ws-1', 1)");
  EXPECT_EQ(onlyFinding(verify()), "signatures forged-1: has no \"signature.given\" audit entry: it was not given "
                                   "through a password check");
}

TEST_F(IntegrityChecksTest, ARoleRaisedInTheUsersTableIsNamed) {
  forge("UPDATE users SET role = 'admin' WHERE name = 'ana'");
  EXPECT_EQ(onlyFinding(verify()), "users ana: has the role admin, but was added as operator");
}

TEST_F(IntegrityChecksTest, AUserAddedBehindTheStoresBackIsNamed) {
  forge("INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES ('mallory', 'supervisor', 'x', 1, 1)");
  EXPECT_EQ(onlyFinding(verify()), "users mallory: has no \"user.added\" audit entry: an admin did not add them");
}

TEST_F(IntegrityChecksTest, AForgedSessionIsNamed) {
  forge("INSERT INTO user_sessions (id, user_name, role, workstation, started_at, last_active_at) "
        "VALUES ('s-forged', 'sam', 'supervisor', 'ws-1', 1, 1)");
  EXPECT_EQ(onlyFinding(verify()),
            "sessions s-forged: signs sam in at ws-1 without a \"user.login\" audit entry: nobody gave the password");
}

TEST_F(IntegrityChecksTest, AnOrdersPriceOrStatusEditedInPlaceIsNamed) {
  forge(fmt::format("UPDATE orders SET price_cents = 1 WHERE number = '{}'", number));
  EXPECT_EQ(onlyFinding(verify()), fmt::format("orders {}: has the price (cents) 1, but its audited changes set 1999",
                                               number));
  forge(fmt::format("UPDATE orders SET price_cents = 1999, hold_reason = NULL WHERE number = '{}'", number));
  EXPECT_THAT(onlyFinding(verify()), HasSubstr("is PRICE_CALCULATED at version 5, but its latest audited change left "
                                               "it PRICE_CALCULATED at version 5 on hold PAYMENT"));
}

TEST_F(IntegrityChecksTest, AStatusMovedWithItsHistoryButNotItsAuditIsNamed) {
  forge(fmt::format("UPDATE orders SET hold_reason = NULL WHERE number = '{0}';"
                    "UPDATE orders SET status = 'MANUFACTURING_APPROVED' WHERE number = '{0}';"
                    "INSERT INTO order_history (order_id, at, status) SELECT id, 9999999999999, 4 FROM orders "
                    "WHERE number = '{0}'",
                    number));
  EXPECT_THAT(onlyFinding(verify()), HasSubstr("is MANUFACTURING_APPROVED at version 5, but its latest audited change "
                                               "left it PRICE_CALCULATED"));
}

TEST_F(IntegrityChecksTest, AnOrderNobodyMadeIsNamedASeededOneIsNot) {
  forge("INSERT INTO orders (id, number, customer, status, created_at, updated_at) "
        "VALUES (9000, 'ORD-009000', 'Ghost', 'CLOSED', 1, 1);"
        "INSERT INTO order_history (order_id, at, status) VALUES (9000, 1, 9)");
  EXPECT_EQ(onlyFinding(verify()),
            "orders ORD-009000: has no audited change and no admin seeded it: it was not made by an operation");
}

TEST_F(IntegrityChecksTest, ADroppedOrChangedTriggerIsNamed) {
  forge("DROP TRIGGER signatures_no_delete");
  EXPECT_EQ(onlyFinding(verify()),
            "triggers signatures_no_delete: is missing: what it refuses or keeps up to date is no longer guarded");
  forge("CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures BEGIN SELECT 1; END;");
  EXPECT_EQ(onlyFinding(verify()),
            "triggers signatures_no_delete: differs from the one this build's migrations make");
}

TEST_F(IntegrityChecksTest, AnAddedTriggerIsNamed) {
  forge("CREATE TRIGGER quietly AFTER INSERT ON audit BEGIN UPDATE orders SET price_cents = 0; END;");
  EXPECT_EQ(onlyFinding(verify()), "triggers quietly: is not one this build's migrations make");
}

TEST_F(IntegrityChecksTest, OrdersSeededWithoutHistoriesAreNotFindings) {
  SeedOptions bare{30, 9, 1000, {kAdmin, "admin", "ws-1", "", ""}};
  bare.histories = false;
  ASSERT_TRUE(seedOrders(*store, bare));
  AuditVerification verification = verify();
  EXPECT_EQ(verification.findingCount, 0) << (verification.findings.empty() ? "" : verification.findings[0].problem);
}

TEST_F(IntegrityChecksTest, ASessionTheChainEndedOpenAgainIsNamed) {
  auto session = users->login({"sam", "sam-password"}, "ws-2");
  ASSERT_TRUE(session);
  ASSERT_TRUE(users->logout(session->id));
  forge(fmt::format("UPDATE user_sessions SET ended_at = NULL WHERE id = '{}'", session->id));
  EXPECT_EQ(onlyFinding(verify()),
            fmt::format("sessions {}: of sam at ws-2 is open again, though the chain records its end", session->id));
}

TEST_F(IntegrityChecksTest, ABrokenRowIsAFindingNotTheEndOfTheVerification) {
  forge("DROP TRIGGER audit_refuse_update; UPDATE audit SET after = '{not json' WHERE action = 'signature.given'");
  AuditVerification verification = verify();
  EXPECT_FALSE(verification.chainIntact) << "the edit breaks the chain, and the walk says where";
  ASSERT_GE(verification.findingCount, 2) << "the dropped trigger, the signature without its entry";
  EXPECT_EQ(verification.findings[0].subject, "audit_refuse_update");
  EXPECT_EQ(verification.findings[1].subject, signatureId);
}

TEST_F(IntegrityChecksTest, ManyFindingsAreCountedAndTheFirstHundredListed) {
  ASSERT_TRUE(seedOrders(*store, {150, 4, 1000, {kAdmin, "admin", "ws-1", "", ""}}));
  forge("INSERT INTO order_history (order_id, at, status) "
        "SELECT id, 9999999999999, CASE status WHEN 'CLOSED' THEN 8 ELSE 9 END FROM orders");
  AuditVerification verification = verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.findingCount, 171) << "every order: its history says otherwise";
  EXPECT_EQ(verification.findings.size(), AuditVerification::kMaxFindingsListed);
  EXPECT_THAT(verification.findings[0].problem, HasSubstr("but its history last entered"));
}

} // namespace
} // namespace opflow::store::test
