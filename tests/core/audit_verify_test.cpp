#include "AuditTestSupport.h"

#include <fmt/format.h>

namespace opflow::store::test {
namespace {

class AuditVerifyTest : public AuditFixture {
protected:
  std::vector<AuditEntry> fill(int count) {
    return appendMany(count, [](int i) {
      AuditEntry entry = sample(i % 2 ? "run.step" : "order.status_changed", i % 3 ? "ana" : "ben");
      entry.reason = "step " + std::to_string(i);
      return entry;
    });
  }

  static void expectReason(const AuditVerification& verification, const std::string& words) {
    EXPECT_NE(verification.reason.find(words), std::string::npos) << verification.reason;
  }
};

TEST_F(AuditVerifyTest, AnEmptyChainIsIntact) {
  AuditVerification verification = verify();
  EXPECT_TRUE(verification.intact);
  EXPECT_EQ(verification.checked, 0);
}

TEST_F(AuditVerifyTest, AnUntouchedChainIsIntact) {
  fill(120);
  AuditVerification verification = verify();
  EXPECT_TRUE(verification.intact) << verification.reason;
  EXPECT_EQ(verification.checked, 120);
  EXPECT_EQ(verification.brokenSeq, 0);
}

// The stored columns must give back the exact bytes that were hashed at append time.
TEST_F(AuditVerifyTest, AwkwardContentRoundTripsExactly) {
  std::string everyAscii;
  for (int c = 1; c < 128; ++c) {
    everyAscii += static_cast<char>(c);
  }
  appendAll({
      [&] {
        AuditEntry entry = sample("order.changed");
        entry.reason = everyAscii;
        entry.user = "Zoë Ødegård 操作员";
        entry.before = Json{{"price", 12.5}, {"tiny", 1e-300}, {"big", 18446744073709551615ull}, {"neg", -7}};
        entry.after = Json{{"note", "line1\nline2 \"quoted\" \\ \u0001"}, {"list", Json::array({1, nullptr, true})}};
        return entry;
      }(),
      [] {
        AuditEntry entry = sample("run.started", "", "");
        entry.before = nullptr;
        entry.after = Json::object();
        entry.reason = "";
        return entry;
      }(),
      [] {
        AuditEntry entry = sample("run.step");
        entry.before = "just a string";
        entry.after = 0.1;
        return entry;
      }(),
  });
  AuditVerification verification = verify();
  EXPECT_TRUE(verification.intact) << verification.brokenSeq << ": " << verification.reason;
  EXPECT_EQ(verification.checked, 3);
}

TEST_F(AuditVerifyTest, CanonicalStringsAreNlohmannsOwnEscaping) {
  AuditEntry entry = sample("order.created");
  for (int c = 1; c < 128; ++c) {
    entry.reason += static_cast<char>(c);
  }
  entry.user = "Zoë";
  std::string canonical = canonicalJson(entry);
  EXPECT_EQ(Json::parse(canonical).dump(), canonical);
}

TEST_F(AuditVerifyTest, InvalidUtf8IsHashedWithoutThrowingAndVerifies) {
  AuditEntry entry = sample("order.created", "bad\xff\xfe user");
  EXPECT_NO_THROW(static_cast<void>(canonicalJson(entry)));
  appendAll({entry});
  EXPECT_TRUE(verify().intact);
}

TEST_F(AuditVerifyTest, AnEditedFieldNamesThatEntry) {
  auto entries = fill(30);
  tamper("UPDATE audit SET user = 'mallory' WHERE seq = 17");
  AuditVerification verification = verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.brokenSeq, 17);
  EXPECT_EQ(verification.brokenId, entries[16].id);
  EXPECT_EQ(verification.checked, 16);
  expectReason(verification, "hash does not match its content: the entry was edited");
}

TEST_F(AuditVerifyTest, EveryHashedColumnIsCovered) {
  fill(5);
  const char* edits[] = {
      "id = 'x'",          "at_ms = at_ms + 1",        "user = 'x'",          "role = 'x'",
      "workstation = 'x'", "correlation_id = 'x'",     "action = 'x'",        "subject_type = 'x'",
      "subject_id = 'x'",  "order_number = 'ORD-9'",   "before = '{\"a\":1}'", "after = NULL",
      "before = ''",       "reason = 'x'",             "prev_hash = hash",    "hash = prev_hash",
      "before = '{\"status\": \"SUBMITTED\"}'",
  };
  for (const char* edit : edits) {
    TempDir scratch;
    std::string copy = scratch.file("copy.db");
    ASSERT_TRUE(store->writer().flush());
    {
      auto db = reader();
      ASSERT_TRUE(db->exec(fmt::format("VACUUM INTO '{}'", copy)));
    }
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(copy.c_str(), &raw), SQLITE_OK);
    std::string sql = fmt::format("DROP TRIGGER audit_refuse_update; UPDATE audit SET {} WHERE seq = 3", edit);
    ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << edit;
    sqlite3_close(raw);
    auto db = Database::open({copy, true, false, Durability::Normal, 5000});
    ASSERT_TRUE(db);
    auto verification = verifyAudit(**db);
    ASSERT_TRUE(verification);
    EXPECT_FALSE(verification->intact) << edit;
    EXPECT_EQ(verification->brokenSeq, 3) << edit << ": " << verification->reason;
  }
}

TEST_F(AuditVerifyTest, ADeletedEntryNamesTheEntryAfterTheGap) {
  auto entries = fill(30);
  tamper("DELETE FROM audit WHERE seq = 12");
  AuditVerification verification = verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.brokenSeq, 13);
  EXPECT_EQ(verification.brokenId, entries[12].id);
  expectReason(verification, "seq jumps from 11 to 13: entries were removed");
}

TEST_F(AuditVerifyTest, DeletingTheFirstEntriesIsNamed) {
  fill(10);
  tamper("DELETE FROM audit WHERE seq <= 2");
  AuditVerification verification = verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.brokenSeq, 3);
  expectReason(verification, "the chain starts at seq 3");
}

TEST_F(AuditVerifyTest, AnEditedAndRehashedEntryIsCaughtAtTheNextLink) {
  auto entries = fill(30);
  AuditEntry forged = entries[9]; // seq 10
  forged.user = "mallory";
  std::string hash = sha256Hex(forged.prevHash + canonicalJson(forged));
  tamper(fmt::format("UPDATE audit SET user = 'mallory', hash = '{}' WHERE seq = 10", hash));
  AuditVerification verification = verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.brokenSeq, 11) << verification.reason;
  EXPECT_EQ(verification.brokenId, entries[10].id);
  EXPECT_EQ(verification.checked, 10);
  expectReason(verification, "prev_hash does not match entry 10: an entry before it was removed or edited");
}

TEST_F(AuditVerifyTest, ADeletedEntryWithTheRestRelinkedStillShowsTheGap) {
  auto entries = fill(10);
  // The attacker removes entry 5 and re-links entry 6 to entry 4 (re-hashing 6 onwards).
  std::string sql = "DELETE FROM audit WHERE seq = 5;";
  std::string prev = entries[3].hash;
  for (std::size_t i = 5; i < entries.size(); ++i) {
    AuditEntry entry = entries[i];
    entry.prevHash = prev;
    entry.hash = sha256Hex(entry.prevHash + canonicalJson(entry));
    sql += fmt::format("UPDATE audit SET prev_hash = '{}', hash = '{}' WHERE seq = {};", entry.prevHash, entry.hash,
                       entry.seq);
    prev = entry.hash;
  }
  tamper(sql);
  AuditVerification verification = verify();
  EXPECT_FALSE(verification.intact);
  EXPECT_EQ(verification.brokenSeq, 6);
  expectReason(verification, "seq jumps from 4 to 6");
}

TEST_F(AuditVerifyTest, TheFirstOfSeveralBreaksIsNamed) {
  fill(30);
  tamper("UPDATE audit SET reason = 'x' WHERE seq IN (8, 20); DELETE FROM audit WHERE seq = 25");
  AuditVerification verification = verify();
  EXPECT_EQ(verification.brokenSeq, 8);
}

// Verification hashes batches of 4096 entries on several threads: breaks in different
// batches, of different kinds, must still name the lowest one, whichever batch is hashed first.
TEST_F(AuditVerifyTest, TheFirstBreakIsNamedAcrossBatches) {
  auto entries = fill(10000);
  EXPECT_EQ(verify().checked, 10000);
  // A hash break in the third batch, a gap later in the same batch.
  tamper("UPDATE audit SET reason = 'x' WHERE seq = 9000; DELETE FROM audit WHERE seq = 9500");
  AuditVerification verification = verify();
  EXPECT_EQ(verification.brokenSeq, 9000) << verification.reason;
  EXPECT_EQ(verification.brokenId, entries[8999].id);
  EXPECT_EQ(verification.checked, 8999);
  expectReason(verification, "the entry was edited");
  // A link break in the first batch comes before the hash break in the third.
  AuditEntry forged = entries[99]; // seq 100
  forged.user = "mallory";
  tamper(fmt::format("UPDATE audit SET user = 'mallory', hash = '{}' WHERE seq = 100",
                     sha256Hex(forged.prevHash + canonicalJson(forged))));
  verification = verify();
  EXPECT_EQ(verification.brokenSeq, 101) << verification.reason;
  EXPECT_EQ(verification.checked, 100);
  expectReason(verification, "prev_hash does not match entry 100");
  // Both a hash and a link break on the same entry: the hash is checked first.
  tamper("UPDATE audit SET action = 'x' WHERE seq = 101");
  verification = verify();
  EXPECT_EQ(verification.brokenSeq, 101) << verification.reason;
  EXPECT_EQ(verification.checked, 100);
  expectReason(verification, "the entry was edited");
}

TEST_F(AuditVerifyTest, TheIndependentHashRuleMatchesTheStoredHashes) {
  auto entries = fill(3);
  for (const AuditEntry& entry : entries) {
    EXPECT_EQ(sha256Hex(entry.prevHash + canonicalJson(entry)), entry.hash);
  }
}

} // namespace
} // namespace opflow::store::test
