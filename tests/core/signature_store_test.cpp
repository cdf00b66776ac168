// SignatureStore on a real database with real argon2id: a signature is written with its
// audit entry; a wrong password, a disabled signer or a manager is refused (audited,
// nothing else written); and check() refuses a signature given on another run, with
// another meaning or by a role that does not count, and one whose signer was disabled.
#include "UserTestSupport.h"

#include "opflow/store/SignatureStore.h"
#include "opflow/store/UtcTime.h"

#include <gmock/gmock.h>

namespace opflow::store::test {
namespace {

using domain::Role;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kMeaning = "approved for manufacturing";

class SignatureStoreTest : public UserFixture {
protected:
  void SetUp() override {
    UserFixture::SetUp();
    signatures = std::make_unique<SignatureStore>(*store, *users);
    addUser("sam", Role::Supervisor);
  }

  static SignRequest request(std::string user, std::string password, std::string subjectId = "run-1") {
    return {std::move(user), std::move(password), kMeaning, "run", std::move(subjectId), "ws-1", "corr-7",
            "ORD-000042"};
  }

  static SignatureUse use(std::string subjectId = "run-1", std::vector<std::string> roles = {"supervisor"}) {
    return {"run", std::move(subjectId), kMeaning, std::move(roles), "ana", "operator", "ws-1", "corr-7", ""};
  }

  std::int64_t signatureRows() {
    auto db = reader();
    auto count = db->prepareUncached("SELECT count(*) FROM signatures");
    EXPECT_TRUE(count && *(*count)->step());
    return (*count)->int64(0);
  }

  std::unique_ptr<SignatureStore> signatures;
};

TEST_F(SignatureStoreTest, ASignatureIsRecordedWithItsAuditEntry) {
  auto signature = signatures->sign(request("sam", "sam-password"));
  ASSERT_TRUE(signature) << signature.error().describe();
  EXPECT_EQ(signature->id.size(), 36u);
  EXPECT_EQ(signature->id[14], '7') << "a UUIDv7";
  EXPECT_EQ(signature->signer, "sam");
  EXPECT_EQ(signature->role, Role::Supervisor);
  EXPECT_EQ(signature->meaning, kMeaning);
  EXPECT_GT(signature->atMs, 0);

  auto stored = signatures->get(signature->id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->subjectType, "run");
  EXPECT_EQ(stored->subjectId, "run-1");
  EXPECT_EQ(stored->workstation, "ws-1");
  EXPECT_EQ(stored->atMs, signature->atMs);

  auto entries = audited("signature.given");
  ASSERT_EQ(entries.size(), 1u);
  const AuditEntry& entry = entries[0];
  EXPECT_EQ(entry.user, "sam");
  EXPECT_EQ(entry.role, "supervisor");
  EXPECT_EQ(entry.atMs, signature->atMs);
  EXPECT_EQ(entry.correlationId, "corr-7");
  EXPECT_EQ(entry.subjectType, "run");
  EXPECT_EQ(entry.subjectId, "run-1");
  EXPECT_EQ(entry.orderNumber, "ORD-000042");
  EXPECT_EQ(entry.after["id"], signature->id);
  EXPECT_EQ(entry.after["signer"], "sam");
  EXPECT_EQ(entry.after["meaning"], kMeaning);
  EXPECT_EQ(entry.after["at"], formatUtcMs(signature->atMs));
  EXPECT_THAT(canonicalJson(entry), Not(HasSubstr("sam-password")));

  Json json = signature->toJson();
  EXPECT_EQ(json, (Json{{"id", signature->id}, {"signer", "sam"}, {"role", "supervisor"}, {"meaning", kMeaning},
                        {"at", formatUtcMs(signature->atMs)}}));
}

TEST_F(SignatureStoreTest, AWrongPasswordIsRefusedAuditedAndWritesNoSignature) {
  auto wrong = signatures->sign(request("sam", "guess"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(wrong.error().message, "unknown user or wrong password");
  auto unknown = signatures->sign(request("nobody", "guess"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, wrong.error().message);

  EXPECT_EQ(signatureRows(), 0);
  EXPECT_TRUE(audited("signature.given").empty());
  auto refusals = audited("signature.refused");
  ASSERT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals[0].user, "sam");
  EXPECT_EQ(refusals[0].reason, "wrong password");
  EXPECT_EQ(refusals[0].subjectId, "run-1");
  EXPECT_EQ(refusals[0].after["meaning"], kMeaning);
  EXPECT_EQ(refusals[1].reason, "unknown user");
}

TEST_F(SignatureStoreTest, DisabledUsersAndManagersCannotSign) {
  addUser("max", Role::Manager);
  auto manager = signatures->sign(request("max", "max-password"));
  ASSERT_FALSE(manager);
  EXPECT_EQ(manager.error().code, ErrorCode::PermissionDenied);
  EXPECT_THAT(manager.error().message, HasSubstr("a manager may not sign"));

  ASSERT_TRUE(users->disable("sam", asAdmin()));
  auto disabled = signatures->sign(request("sam", "sam-password"));
  ASSERT_FALSE(disabled);
  EXPECT_EQ(disabled.error().code, ErrorCode::PermissionDenied);
  EXPECT_THAT(disabled.error().message, HasSubstr("disabled"));

  EXPECT_EQ(signatureRows(), 0);
  auto refusals = audited("signature.refused");
  ASSERT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals[0].reason, "a manager may not sign");
  EXPECT_EQ(refusals[1].reason, "disabled");
}

TEST_F(SignatureStoreTest, ASignatureNeedsAMeaningAndASubject) {
  SignRequest noMeaning = request("sam", "sam-password");
  noMeaning.meaning.clear();
  EXPECT_EQ(signatures->sign(noMeaning).error().code, ErrorCode::InvalidArgument);
  SignRequest noSubject = request("sam", "sam-password", "");
  EXPECT_EQ(signatures->sign(noSubject).error().code, ErrorCode::InvalidArgument);
  EXPECT_EQ(signatures->get("nope").error().code, ErrorCode::NotFound);
}

TEST_F(SignatureStoreTest, CheckAcceptsTheRightSignatureAndRefusesEveryMismatch) {
  auto signature = signatures->sign(request("sam", "sam-password"));
  ASSERT_TRUE(signature);
  auto accepted = signatures->check(signature->id, use());
  ASSERT_TRUE(accepted) << accepted.error().describe();
  EXPECT_EQ(accepted->signer, "sam");

  auto otherRun = signatures->check(signature->id, use("run-2"));
  ASSERT_FALSE(otherRun);
  EXPECT_EQ(otherRun.error().code, ErrorCode::PermissionDenied);
  EXPECT_THAT(otherRun.error().message, HasSubstr("was given on run run-1, not on this run run-2"));

  SignatureUse otherMeaning = use();
  otherMeaning.meaning = "order closed";
  auto meaning = signatures->check(signature->id, otherMeaning);
  ASSERT_FALSE(meaning);
  EXPECT_THAT(meaning.error().message, HasSubstr("means \"approved for manufacturing\", not \"order closed\""));

  auto role = signatures->check(signature->id, use("run-1", {"admin"}));
  ASSERT_FALSE(role);
  EXPECT_THAT(role.error().message, HasSubstr("sam signed as a supervisor; this needs the signature of: admin"));

  auto missing = signatures->check("no-such-id", use());
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("no signature \"no-such-id\""));

  ASSERT_TRUE(users->disable("sam", asAdmin()));
  auto disabled = signatures->check(signature->id, use());
  ASSERT_FALSE(disabled);
  EXPECT_THAT(disabled.error().message, HasSubstr("sam has been disabled since signing"));

  auto rejections = audited("signature.rejected");
  ASSERT_EQ(rejections.size(), 5u);
  EXPECT_EQ(rejections[0].user, "ana");
  EXPECT_EQ(rejections[0].subjectId, "run-2");
  EXPECT_EQ(rejections[0].after["signature_id"], signature->id);
  EXPECT_EQ(rejections[0].after["signer"], "sam");
  EXPECT_EQ(rejections[0].reason, otherRun.error().message);
}

} // namespace
} // namespace opflow::store::test
