#include "StoreTestSupport.h"

#include "opflow/store/Migrations.h"
#include "opflow/store/Outbox.h"

#include <fmt/format.h>

#include <fstream>
#include <future>
#include <thread>

namespace opflow::store::test {
namespace {

std::int64_t scalar(Database& db, const char* sql) {
  auto statement = db.prepare(sql);
  EXPECT_TRUE(statement);
  auto row = (*statement)->step();
  EXPECT_TRUE(row && *row);
  return (*statement)->int64(0);
}

class StoreDatabaseTest : public StoreFixture {};

TEST_F(StoreDatabaseTest, InitialisesWalWithForeignKeysAndTheLatestSchema) {
  auto db = reader();
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(*db, "PRAGMA user_version"), latestSchemaVersion());
  EXPECT_EQ(scalar(*db, "PRAGMA foreign_keys"), 1);
  auto mode = db->prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode);
  ASSERT_TRUE(*(*mode)->step());
  EXPECT_EQ((*mode)->text(0), "wal");
}

TEST_F(StoreDatabaseTest, ReopeningAnInitialisedDatabaseNeedsNoMigration) {
  store.reset();
  auto reopened = LocalStore::open({dbPath(), false, Durability::Full, {}});
  ASSERT_TRUE(reopened) << reopened.error().describe();
}

TEST(StoreOpenTest, AMissingFileIsNotCreatedWithoutCreate) {
  TempDir dir;
  auto opened = LocalStore::open({dir.file("typo.db"), false, Durability::Normal, {}});
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::NotFound);
  EXPECT_NE(opened.error().message.find("typo.db"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.file("typo.db")));
}

TEST(StoreOpenTest, ADatabaseFromANewerSchemaIsRefusedAndLeftAlone) {
  TempDir dir;
  {
    auto db = Database::open({dir.file("new.db"), false, true, Durability::Normal, 5000});
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->exec(fmt::format("PRAGMA user_version = {}", latestSchemaVersion() + 1)));
  }
  for (bool create : {true, false}) {
    auto opened = LocalStore::open({dir.file("new.db"), create, Durability::Normal, {}});
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error().message.find("newer"), std::string::npos) << opened.error().message;
  }
  auto db = Database::open({dir.file("new.db"), true, false, Durability::Normal, 5000});
  ASSERT_TRUE(db);
  EXPECT_EQ(scalar(**db, "SELECT count(*) FROM sqlite_schema"), 0);
}

TEST(StoreOpenTest, AFileThatIsNotADatabaseIsAClearError) {
  TempDir dir;
  {
    std::ofstream out(dir.file("notes.db"));
    out << "these are my notes, not a database\n";
  }
  auto opened = LocalStore::open({dir.file("notes.db"), false, Durability::Normal, {}});
  ASSERT_FALSE(opened);
  EXPECT_NE(opened.error().message.find("notes.db"), std::string::npos) << opened.error().message;
}

TEST_F(StoreDatabaseTest, ATransactionRollsBackUnlessCommitted) {
  auto db = Database::open({dbPath(), false, false, Durability::Normal, 5000});
  ASSERT_TRUE(db);
  {
    auto transaction = Transaction::begin(**db);
    ASSERT_TRUE(transaction);
    ASSERT_TRUE(appendOutbox(**db, {"", "test.event", "a", std::nullopt, Json{{"n", 1}}}));
  }
  EXPECT_EQ(*pendingOutboxCount(**db), 0);
  {
    auto transaction = Transaction::begin(**db);
    ASSERT_TRUE(transaction);
    ASSERT_TRUE(appendOutbox(**db, {"", "test.event", "a", 3, Json{{"n", 1}}}));
    ASSERT_TRUE(transaction->commit());
  }
  EXPECT_EQ(*pendingOutboxCount(**db), 1);
}

TEST_F(StoreDatabaseTest, TheWriterCommitsManyUnitsInOneGroupAndIsolatesAFailingUnit) {
  StoreWriter& writer = store->writer();
  std::vector<std::future<Status>> done;
  for (int i = 0; i < 200; ++i) {
    done.push_back(writer.submit([i](Database& db) -> Status {
      if (Status added = appendOutbox(db, {"", "test.event", std::to_string(i), std::nullopt, nullptr}); !added) {
        return added;
      }
      if (i == 7) {
        return makeError(ErrorCode::Conflict, "unit 7 refuses");
      }
      return {};
    }));
  }
  for (int i = 0; i < 200; ++i) {
    Status outcome = done[static_cast<std::size_t>(i)].get();
    EXPECT_EQ(outcome.ok(), i != 7) << i;
  }
  auto db = reader();
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM outbox"), 199);
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM outbox WHERE subject_id = '7'"), 0);
  WriterStats stats = writer.stats();
  EXPECT_EQ(stats.units, 200u);
  EXPECT_EQ(stats.failedUnits, 1u);
  EXPECT_LT(stats.commits, 200u) << "units were not grouped";
}

TEST_F(StoreDatabaseTest, PostedWorkIsDurableAfterFlushAndFailuresAreKept) {
  StoreWriter& writer = store->writer();
  writer.post([](Database& db) { return appendOutbox(db, {"", "test.event", "posted", std::nullopt, nullptr}); });
  writer.post([](Database& db) { return db.exec("INSERT INTO no_such_table VALUES (1)"); });
  ASSERT_TRUE(writer.flush());
  auto db = reader();
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM outbox"), 1);
  ASSERT_TRUE(writer.lastError());
  EXPECT_NE(writer.lastError()->message.find("no_such_table"), std::string::npos);
}

TEST_F(StoreDatabaseTest, ALongReadDoesNotBlockTheWriter) {
  auto db = reader();
  auto transaction = Transaction::begin(*db, Transaction::Kind::Deferred);
  ASSERT_TRUE(transaction);
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM outbox"), 0);
  ASSERT_TRUE(store->writer().execute(
      [](Database& w) { return appendOutbox(w, {"", "test.event", "x", std::nullopt, nullptr}); }));
  EXPECT_EQ(scalar(*db, "SELECT count(*) FROM outbox"), 0) << "the reader keeps its snapshot";
  auto fresh = reader();
  EXPECT_EQ(scalar(*fresh, "SELECT count(*) FROM outbox"), 1);
}

TEST_F(StoreDatabaseTest, ReadersArePooledAndSeeCommittedWork) {
  ReaderPool& readers = store->readers();
  ASSERT_TRUE(store->writer().execute(
      [](Database& w) { return appendOutbox(w, {"", "test.event", "x", std::nullopt, nullptr}); }));
  Database* first = nullptr;
  {
    auto lease = readers.acquire();
    ASSERT_TRUE(lease);
    first = &**lease;
    EXPECT_EQ(*pendingOutboxCount(**lease), 1);
  }
  auto again = readers.acquire();
  ASSERT_TRUE(again);
  EXPECT_EQ(&**again, first);
}

} // namespace
} // namespace opflow::store::test
