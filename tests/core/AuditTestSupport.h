// Test support for the audit tests: a store fixture that appends entries through the
// writer (many per group commit), and an attacker's raw sqlite3 connection that drops the
// append-only triggers and edits the table behind the store's back.
// Thread-safety: used from the test thread.
#pragma once

#include "StoreTestSupport.h"

#include "opflow/store/AuditLog.h"

#include <sodium.h>
#include <sqlite3.h>

#include <functional>
#include <string>
#include <vector>

namespace opflow::store::test {

class AuditFixture : public StoreFixture {
protected:
  static AuditEntry sample(std::string action, std::string user = "ana", std::string orderNumber = "ORD-000001") {
    AuditEntry entry;
    entry.user = std::move(user);
    entry.role = "operator";
    entry.workstation = "ws-1";
    entry.correlationId = "corr-1";
    entry.action = std::move(action);
    entry.subjectType = "order";
    entry.subjectId = orderNumber;
    entry.orderNumber = std::move(orderNumber);
    entry.before = Json{{"status", "SUBMITTED"}};
    entry.after = Json{{"status", "PRICE_CALCULATED"}};
    return entry;
  }

  // Appends the entries in one writer unit; returns them with seq, id, hashes filled.
  std::vector<AuditEntry> appendAll(std::vector<AuditEntry> entries) {
    Status done = store->writer().execute([&entries](Database& db) -> Status {
      for (AuditEntry& entry : entries) {
        if (Status added = appendAudit(db, entry); !added) {
          return added;
        }
      }
      return {};
    });
    EXPECT_TRUE(done) << (done ? "" : done.error().describe());
    return entries;
  }

  // `count` entries made by `make(i)` (i from 0).
  std::vector<AuditEntry> appendMany(int count, const std::function<AuditEntry(int)>& make) {
    std::vector<AuditEntry> entries;
    entries.reserve(count);
    for (int i = 0; i < count; ++i) {
      entries.push_back(make(i));
    }
    return appendAll(std::move(entries));
  }

  // An attacker with sqlite3 and write access to the file: no writer, no triggers.
  void tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dbPath().c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    std::string script = "DROP TRIGGER IF EXISTS audit_refuse_update; DROP TRIGGER IF EXISTS audit_refuse_delete; " + sql;
    int rc = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &message);
    EXPECT_EQ(rc, SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
  }

  // SHA-256 of prev_hash followed by the canonical JSON, computed here independently.
  static std::string sha256Hex(const std::string& text) {
    EXPECT_GE(sodium_init(), 0);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
  }

  [[nodiscard]] AuditVerification verify() {
    auto db = reader();
    auto verification = verifyAudit(*db);
    EXPECT_TRUE(verification) << (verification ? "" : verification.error().describe());
    return verification ? *verification : AuditVerification{};
  }
};

} // namespace opflow::store::test
