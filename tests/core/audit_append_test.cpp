#include "StoreTestSupport.h"

#include "opflow/store/AuditLog.h"

namespace opflow::store::test {
namespace {

class AuditAppendTest : public StoreFixture {
protected:
  Result<AuditEntry> append(AuditEntry entry) {
    Status done = store->writer().execute([&entry](Database& db) { return appendAudit(db, entry); });
    if (!done) {
      return done.error();
    }
    return entry;
  }

  static AuditEntry sample(std::string action) {
    AuditEntry entry;
    entry.user = "ana";
    entry.role = "operator";
    entry.workstation = "ws-1";
    entry.correlationId = "corr-1";
    entry.action = std::move(action);
    entry.subjectType = "order";
    entry.subjectId = "ORD-000001";
    entry.orderNumber = "ORD-000001";
    entry.before = Json{{"status", "SUBMITTED"}};
    entry.after = Json{{"status", "PRICE_CALCULATED"}};
    return entry;
  }
};

TEST_F(AuditAppendTest, EntriesLinkIntoAChainInOrder) {
  auto first = append(sample("order.created"));
  auto second = append(sample("order.status_changed"));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->seq, 1);
  EXPECT_EQ(second->seq, 2);
  EXPECT_EQ(first->prevHash, std::string(64, '0'));
  EXPECT_EQ(second->prevHash, first->hash);
  EXPECT_EQ(first->hash.size(), 64u);
  EXPECT_NE(first->hash, second->hash);
  EXPECT_EQ(first->id.size(), 36u);
  EXPECT_GE(second->atMs, first->atMs);
}

TEST_F(AuditAppendTest, CanonicalJsonIsSortedCompactAndStable) {
  AuditEntry entry = sample("order.created");
  entry.seq = 3;
  entry.id = "id-1";
  entry.atMs = 1700000000123;
  std::string canonical = canonicalJson(entry);
  EXPECT_EQ(canonical,
            R"({"action":"order.created","after":{"status":"PRICE_CALCULATED"},"at_ms":1700000000123,)"
            R"("before":{"status":"SUBMITTED"},"correlation_id":"corr-1","id":"id-1","order_number":"ORD-000001",)"
            R"("reason":"","role":"operator","seq":3,"subject_id":"ORD-000001","subject_type":"order",)"
            R"("user":"ana","workstation":"ws-1"})");
  EXPECT_EQ(Json::parse(canonical).dump(), canonical) << "the canonical form is nlohmann's own compact form";
}

TEST_F(AuditAppendTest, AnAppendRolledBackWithItsTransactionLeavesNoTrace) {
  ASSERT_TRUE(append(sample("order.created")));
  Status refused = store->writer().execute([](Database& db) -> Status {
    AuditEntry entry = sample("order.status_changed");
    if (Status added = appendAudit(db, entry); !added) {
      return added;
    }
    return makeError(ErrorCode::Conflict, "the change it recorded was refused");
  });
  EXPECT_FALSE(refused);
  auto next = append(sample("order.status_changed"));
  ASSERT_TRUE(next);
  EXPECT_EQ(next->seq, 2);
}

TEST_F(AuditAppendTest, TriggersRefuseUpdateAndDelete) {
  ASSERT_TRUE(append(sample("order.created")));
  Status updated = store->writer().execute([](Database& db) { return db.exec("UPDATE audit SET user = 'mallory'"); });
  ASSERT_FALSE(updated);
  EXPECT_NE(updated.error().message.find("append-only"), std::string::npos) << updated.error().message;
  Status deleted = store->writer().execute([](Database& db) { return db.exec("DELETE FROM audit"); });
  ASSERT_FALSE(deleted);
  EXPECT_NE(deleted.error().message.find("append-only"), std::string::npos);
}

TEST_F(AuditAppendTest, EachEntryPutsAReferenceIntoTheOutbox) {
  auto entry = append(sample("order.created"));
  ASSERT_TRUE(entry);
  auto db = reader();
  auto row = db->prepare("SELECT kind, subject_id, payload IS NULL FROM outbox");
  ASSERT_TRUE(row);
  ASSERT_TRUE(*(*row)->step());
  EXPECT_EQ((*row)->text(0), "audit.entry");
  EXPECT_EQ((*row)->text(1), entry->id);
  EXPECT_EQ((*row)->int64(2), 1);
}

} // namespace
} // namespace opflow::store::test
