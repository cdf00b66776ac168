// What only the PostgreSQL backend can show: a server without the shared schema or with a
// newer one, a server that is not there, a server restarted under a connection, readers
// following the feed while two workstations push at once, notifications, and a feed that
// the server itself keeps append-only.
#include "PgTestServer.h"
#include "SyncTestSupport.h"

#include "opflow/sync/PostgresSharedDatabase.h"

#include <gmock/gmock.h>

#include <chrono>
#include <set>
#include <thread>

namespace opflow::sync::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using opflow::testing::processPgServer;

SharedEvent summary(const std::string& workstation, std::int64_t seq) {
  const std::string id = workstation + "-" + std::to_string(seq);
  return {id, workstation, seq, "run.summary", kPayloadVersion, "run-" + id, std::nullopt, Json{{"n", seq}}, 0};
}

std::unique_ptr<PostgresSharedDatabase> created(const std::string& conninfo) {
  auto shared = PostgresSharedDatabase::create(conninfo);
  EXPECT_TRUE(shared) << shared.error().describe();
  return shared ? std::move(shared).value() : nullptr;
}

TEST(PostgresSharedTest, AServerWithoutTheSharedSchemaOrWithANewerOneIsRefused) {
  const std::string conninfo = processPgServer().database();
  auto none = PostgresSharedDatabase::open(conninfo);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::Conflict);
  EXPECT_THAT(none.error().message, HasSubstr("(none at all: `opflow-cli shared init` makes one)"));

  ASSERT_TRUE(created(conninfo));
  ASSERT_TRUE(created(conninfo)) << "creating again is migrating nothing";
  ASSERT_TRUE(PostgresSharedDatabase::open(conninfo));

  const std::string name = conninfo.substr(conninfo.rfind('=') + 1);
  processPgServer().psql("UPDATE opflow.schema_version SET version = 99", name);
  auto newer = PostgresSharedDatabase::open(conninfo);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, ErrorCode::Conflict);
  EXPECT_THAT(newer.error().message, HasSubstr("is a shared database of schema version 99, newer than this build's"));
  EXPECT_FALSE(PostgresSharedDatabase::create(conninfo)) << "nor is it migrated down";
}

TEST(PostgresSharedTest, AServerThatIsNotThereIsUnreachableAndItsPasswordIsNotShown) {
  TempDir nowhere;
  const auto started = std::chrono::steady_clock::now();
  auto missing = PostgresSharedDatabase::open("host=" + nowhere.path().string() + " user=opflow password=s3cret");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::Io);
  EXPECT_THAT(missing.error().message, HasSubstr("cannot reach host="));
  EXPECT_THAT(missing.error().message, HasSubstr("password=***"));
  EXPECT_THAT(missing.error().message, Not(HasSubstr("s3cret")));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5)) << "a missing socket fails at once";
}

TEST(PostgresSharedTest, AServerRestartedUnderAConnectionIsReachedAgain) {
  auto shared = created(processPgServer().database());
  ASSERT_TRUE(shared);
  ASSERT_TRUE(shared->push("ws-1", {summary("ws-1", 1)}));
  processPgServer().stop(true);
  auto away = shared->push("ws-1", {summary("ws-1", 2)});
  ASSERT_FALSE(away);
  EXPECT_EQ(away.error().code, ErrorCode::Io) << away.error().describe();
  processPgServer().start();
  auto back = shared->push("ws-1", {summary("ws-1", 2)});
  ASSERT_TRUE(back) << back.error().describe();
  ASSERT_EQ(back->acks.size(), 1u);
  EXPECT_FALSE(back->acks[0].duplicate) << "the failed push took nothing";
  auto feed = shared->feed(0, 10);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->events.size(), 2u);
}

TEST(PostgresSharedTest, AReaderFollowingTheFeedWhileTwoWorkstationsPushSkipsNothing) {
  const std::string conninfo = processPgServer().database();
  ASSERT_TRUE(created(conninfo));
  constexpr int kBatches = 40;
  constexpr int kPerBatch = 25;
  std::atomic<int> pushing{2};
  const auto pusher = [&](const std::string& workstation) {
    auto shared = PostgresSharedDatabase::open(conninfo);
    ASSERT_TRUE(shared) << shared.error().describe();
    std::int64_t seq = 0;
    for (int batch = 0; batch < kBatches; ++batch) {
      std::vector<SharedEvent> events;
      for (int i = 0; i < kPerBatch; ++i) {
        events.push_back(summary(workstation, ++seq));
      }
      auto answer = (*shared)->push(workstation, events);
      ASSERT_TRUE(answer) << answer.error().describe();
      ASSERT_EQ(answer->acks.size(), events.size());
    }
    --pushing;
  };
  std::thread one(pusher, "ws-1");
  std::thread two(pusher, "ws-2");

  auto reader = PostgresSharedDatabase::open(conninfo);
  ASSERT_TRUE(reader);
  std::set<std::string> seen;
  std::int64_t cursor = 0;
  std::int64_t lastPosition = 0;
  while (true) {
    const bool finished = pushing.load() == 0; // read once more after the last push
    auto page = (*reader)->feed(cursor, 7);
    ASSERT_TRUE(page) << page.error().describe();
    for (const FeedEvent& item : page->events) {
      EXPECT_GT(item.position, lastPosition);
      lastPosition = item.position;
      EXPECT_TRUE(seen.insert(item.event.id).second) << item.event.id << " read twice";
    }
    cursor = page->cursor;
    if (finished && page->events.empty()) {
      break;
    }
  }
  one.join();
  two.join();
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(2 * kBatches * kPerBatch)) << "every event, read by the cursor";
}

TEST(PostgresSharedTest, APushIsAnnouncedToListeners) {
  const std::string conninfo = processPgServer().database();
  auto listener = created(conninfo);
  ASSERT_TRUE(listener);
  auto first = listener->waitForChange(std::chrono::milliseconds(0));
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_TRUE(*first) << "listening starts now: what came before was not watched, so the feed is read again";
  auto quiet = listener->waitForChange(std::chrono::milliseconds(0));
  ASSERT_TRUE(quiet) << quiet.error().describe();
  EXPECT_FALSE(*quiet);

  auto pusher = PostgresSharedDatabase::open(conninfo);
  ASSERT_TRUE(pusher);
  ASSERT_TRUE((*pusher)->push("ws-1", {summary("ws-1", 1)}));
  const auto started = std::chrono::steady_clock::now();
  auto news = listener->waitForChange(std::chrono::milliseconds(5000));
  ASSERT_TRUE(news) << news.error().describe();
  EXPECT_TRUE(*news);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1)) << "told, not found by polling";
  auto after = listener->waitForChange(std::chrono::milliseconds(50));
  ASSERT_TRUE(after);
  EXPECT_FALSE(*after) << "one push, one piece of news";
}

TEST(PostgresSharedTest, TheServerKeepsTheFeedAppendOnly) {
  const std::string conninfo = processPgServer().database();
  auto shared = created(conninfo);
  ASSERT_TRUE(shared);
  ASSERT_TRUE(shared->push("ws-1", {summary("ws-1", 1)}));
  const std::string name = conninfo.substr(conninfo.rfind('=') + 1);
  for (const char* rewrite : {"UPDATE opflow.events SET reason = 'edited'", "DELETE FROM opflow.events",
                              "TRUNCATE opflow.events CASCADE"}) {
    EXPECT_THROW(processPgServer().psql(rewrite, name), std::runtime_error) << rewrite;
  }
  auto feed = shared->feed(0, 10);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->events.size(), 1u);
  EXPECT_EQ(feed->events[0].reason, "");
}

} // namespace
} // namespace opflow::sync::test
