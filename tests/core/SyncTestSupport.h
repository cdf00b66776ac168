// Test support for the sync tests: workstation databases (real SQLite files with the real
// stores) joined to one shared database, and the backends the protocol suite runs on.
// Thread-safety: used from the test thread.
#pragma once

#include "PgTestServer.h"
#include "StoreTestSupport.h"

#include "opflow/auth/PasswordHash.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/OrderSeeder.h"
#include "opflow/store/OrderStore.h"
#include "opflow/store/UserStore.h"
#include "opflow/sync/OrderNumberBlocks.h"
#include "opflow/sync/SharedAudit.h"
#include "opflow/sync/SharedTarget.h"
#include "opflow/sync/SqliteSharedDatabase.h"
#include "opflow/sync/SyncState.h"
#include "opflow/sync/Synchronizer.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

namespace opflow::sync::test {

using store::test::TempDir;

// The admin who joins the test workstations.
inline const store::User kAdmin{"root", domain::Role::Admin, false, 0, 0};

// The shop's operators the tests' order changes name (the shared side takes a change only
// from a user it knows, with the role the change claims), as an admin's workstation
// ("office") sends them.
inline std::vector<SharedEvent> shopUsers(const std::string& workstation, std::int64_t firstSeq = 1) {
  std::vector<SharedEvent> events;
  for (const char* name : {"olga", "tom", "sam"}) {
    const Json user{{"name", name},
                    {"role", "operator"},
                    {"disabled", false},
                    {"password_hash", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"},
                    {"created_at", 1},
                    {"updated_at", 1}};
    const std::int64_t seq = firstSeq + static_cast<std::int64_t>(events.size());
    events.push_back({workstation + "-user-" + name, workstation, seq, "user.changed", kPayloadVersion, name,
                      std::nullopt, Json{{"user", user}, {"change", {{"action", "user.added"}, {"user", "root"}}}}, 0});
  }
  return events;
}

// One workstation: its database file, its stores, joined to a shared database.
struct Workstation {
  std::string name;
  std::unique_ptr<store::LocalStore> store;
  std::unique_ptr<store::OrderStore> orders;

  [[nodiscard]] store::OrderActor actor(const std::string& user = "olga") const {
    return {user, "operator", name, "", ""};
  }
  // A new order made here by `actor()`, numbered by this workstation.
  Result<store::Order> create(const std::string& customer = "Acme") const {
    return orders->create({"", customer, 1, std::nullopt, "PLA", "", "", Json::object()}, actor());
  }
  [[nodiscard]] store::Order order(const std::string& number) const {
    auto found = orders->get(number);
    EXPECT_TRUE(found) << found.error().describe();
    return found ? *found : store::Order{};
  }
  // Reads one integer with a fresh connection (sees what is committed).
  [[nodiscard]] std::int64_t scalar(const std::string& sql) const {
    auto db = store::Database::open({store->path(), true, false, store::Durability::Normal, 5000, {}});
    EXPECT_TRUE(db) << db.error().describe();
    auto value = store::selectOne(**db, sql, [](const store::Statement& row) { return row.int64(0); });
    EXPECT_TRUE(value && *value) << sql;
    return value && *value ? **value : -1;
  }
  [[nodiscard]] store::AuditVerification verify() const {
    auto db = store::Database::open({store->path(), true, false, store::Durability::Normal, 5000, {}});
    EXPECT_TRUE(db) << db.error().describe();
    auto verified = store::verifyAudit(**db);
    EXPECT_TRUE(verified) << verified.error().describe();
    return verified ? *verified : store::AuditVerification{};
  }
};

// Describes what a verification found, for a failed expectation.
inline std::string findingsOf(const store::AuditVerification& verification) {
  std::string text = verification.reason;
  for (const store::IntegrityFinding& finding : verification.findings) {
    text += "\n" + finding.check + " " + finding.subject + ": " + finding.problem;
  }
  return text;
}

// The shared database's backends the sync runs on.
enum class SharedBackend { SqliteFile, Postgres };

inline std::ostream& operator<<(std::ostream& out, SharedBackend backend) {
  return out << (backend == SharedBackend::SqliteFile ? "SqliteFile" : "Postgres");
}

inline std::string backendName(const ::testing::TestParamInfo<SharedBackend>& backend) {
  return backend.param == SharedBackend::SqliteFile ? "SqliteFile" : "Postgres";
}

class SyncFixture : public ::testing::Test {
protected:
  explicit SyncFixture(SharedBackend backend = SharedBackend::SqliteFile) : m_backend(backend) {}

  void SetUp() override {
    m_target = m_backend == SharedBackend::SqliteFile ? m_dir.file("shared.db") : opflow::testing::processPgServer().database();
    auto shared = openSharedDatabase(m_target, true);
    ASSERT_TRUE(shared) << shared.error().describe();
    m_shared = std::move(shared).value();
    ASSERT_TRUE(m_shared->push("office", shopUsers("office")));
  }

  // The file path or connection string the workstations join.
  [[nodiscard]] const std::string& sharedTarget() const { return m_target; }

  // A new workstation database joined to the shared one; its changes take their time from
  // `clockMs` when given (a workstation whose clock is off).
  Workstation workstation(const std::string& name, std::function<std::int64_t()> clockMs = {}) {
    auto opened =
        store::LocalStore::open({m_dir.file(name + ".db"), true, store::Durability::Normal, {}, std::move(clockMs)});
    EXPECT_TRUE(opened) << opened.error().describe();
    Workstation ws{name, std::move(opened).value(), nullptr};
    ws.orders = std::make_unique<store::OrderStore>(*ws.store);
    Status joined = joinShared(*ws.store, *m_shared, sharedTarget(), name, kAdmin);
    EXPECT_TRUE(joined) << joined.error().describe();
    sync(ws); // the shop's users, as `init --shared` takes them
    return ws;
  }

  // Runs `sqlite` (the shared file) or `postgres` (the server's database) on the shared
  // database behind the protocol's back, as someone with its rights might; what the
  // PostgreSQL statement printed.
  std::string sharedSql(const std::string& sqlite, const std::string& postgres) {
    if (m_backend == SharedBackend::SqliteFile) {
      auto file = store::Database::open({sharedTarget(), false, false, store::Durability::Normal, 5000, {}});
      EXPECT_TRUE(file) << file.error().describe();
      if (file) {
        Status done = (*file)->exec(sqlite);
        EXPECT_TRUE(done) << done.error().describe();
      }
      return {};
    }
    const std::string name = sharedTarget().substr(sharedTarget().rfind('=') + 1);
    return opflow::testing::processPgServer().psql(postgres, name);
  }

  // Adds the shop's admin "ada" (password "ada-password") as the office does.
  void addShopAdmin() { addShopUser("ada", "admin", 4); }

  // Adds `name` (password NAME + "-password") in `role` as the office does, as its event
  // `seq` (the office's first three are the operators of shopUsers()).
  void addShopUser(const std::string& name, const std::string& role, std::int64_t seq) {
    auto hash = auth::hashPassword(name + "-password", auth::PasswordCost::Minimum);
    ASSERT_TRUE(hash);
    SharedEvent user = shopUsers("office").back();
    user.seq = seq;
    user.id = "office-user-" + name;
    user.subjectId = name;
    user.payload["user"]["name"] = name;
    user.payload["user"]["role"] = role;
    user.payload["user"]["password_hash"] = *hash;
    ASSERT_TRUE(m_shared->push("office", {user}));
  }

  // An order made at `one`, known at `two` once both synced.
  store::Order orderBothKnow(Workstation& one, Workstation& two) {
    auto created = one.create();
    EXPECT_TRUE(created) << created.error().describe();
    sync(one);
    sync(two);
    return created ? *created : store::Order{};
  }

  SyncReport sync(Workstation& ws, SyncLimits limits = {}) {
    Synchronizer synchronizer(*ws.store, *m_shared, ws.name, limits);
    auto report = synchronizer.once();
    EXPECT_TRUE(report) << report.error().describe();
    return report ? *report : SyncReport{};
  }

  SharedBackend m_backend;
  TempDir m_dir;
  std::string m_target;
  std::unique_ptr<SharedDatabase> m_shared;
};

// The sync tests every backend must pass.
class SyncTest : public SyncFixture, public ::testing::WithParamInterface<SharedBackend> {
protected:
  SyncTest() : SyncFixture(GetParam()) {}
};

} // namespace opflow::sync::test
