// The shared database's protocol, as every backend must keep it: events taken in each
// workstation's sequence and acknowledged one by one, a resent event answered with its
// stored outcome, the same id with other content refused, a gap ending the batch, an
// order change on a stale version stored as a conflict without blocking the queue, an
// audit chain that must continue where it ended, payloads this build cannot read refused,
// an order change that breaks the status model refused, and a shared schema newer than
// the build refused.
#include "SyncTestSupport.h"

#include "opflow/store/Database.h"
#include "opflow/store/SharedOrders.h"
#include "opflow/sync/PostgresSharedDatabase.h"

#include <gmock/gmock.h>

namespace opflow::sync::test {
namespace {

using ::testing::HasSubstr;

// Opens a fresh shared database of one backend in a folder of the test's.
using Backend = std::function<std::unique_ptr<SharedDatabase>(const TempDir&)>;

struct BackendCase {
  std::string name;
  Backend make;
};

std::ostream& operator<<(std::ostream& out, const BackendCase& backend) { return out << backend.name; }

SharedEvent summary(std::int64_t seq, const std::string& id) {
  return {id, "ws-1", seq, "run.summary", kPayloadVersion, "run-" + id, std::nullopt, Json{{"state", "succeeded"}}, 0};
}

store::Order sampleOrder(std::int64_t version, const std::string& status = "INITIATED") {
  Json json{{"number", "ORD-000001"}, {"customer", "Acme"},   {"status", status},  {"priority", 1},
            {"price_cents", nullptr},  {"material", "PLA"},   {"file_name", ""},   {"created_at", 1},
            {"updated_at", version},   {"assigned_operator", nullptr}, {"hold_reason", nullptr},
            {"version", version},      {"details", Json::object()}};
  return *store::orderFromJson(json);
}

SharedEvent orderChange(const std::string& workstation, std::int64_t seq, const std::string& id, std::int64_t base,
                        const std::string& status = "INITIATED") {
  Json payload{{"order", store::orderToJson(sampleOrder(base + 1, status))},
               {"change", {{"action", "order.status_changed"}, {"user", "olga"}, {"role", "operator"}}}};
  return {id, workstation, seq, "order.changed", kPayloadVersion, "ORD-000001", base, std::move(payload), 0};
}

class SharedDatabaseTest : public ::testing::TestWithParam<BackendCase> {
protected:
  void SetUp() override {
    m_shared = GetParam().make(m_dir);
    ASSERT_TRUE(m_shared);
    push("office", shopUsers("office"));
    auto feed = m_shared->feed(0, 10);
    ASSERT_TRUE(feed);
    m_afterUsers = feed->cursor;
  }

  PushAnswer push(const std::string& workstation, const std::vector<SharedEvent>& events) {
    auto answer = m_shared->push(workstation, events);
    EXPECT_TRUE(answer) << answer.error().describe();
    return answer ? *answer : PushAnswer{};
  }

  TempDir m_dir;
  std::unique_ptr<SharedDatabase> m_shared;
  std::int64_t m_afterUsers = 0; // the feed's position after the shop's users
};

TEST_P(SharedDatabaseTest, EventsAreTakenInSequenceAndFedInCommitOrder) {
  PushAnswer answer = push("ws-1", {summary(1, "e1"), summary(2, "e2"), summary(3, "e3")});
  ASSERT_EQ(answer.acks.size(), 3u);
  EXPECT_EQ(answer.expectedSeq, 4);
  for (const EventAck& ack : answer.acks) {
    EXPECT_EQ(ack.outcome, EventOutcome::Applied);
    EXPECT_FALSE(ack.duplicate);
  }
  push("ws-2", {summary(1, "f1")});
  auto feed = m_shared->feed(m_afterUsers, 10);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->events.size(), 4u);
  EXPECT_EQ(feed->events[0].event.id, "e1");
  EXPECT_EQ(feed->events[3].event.id, "f1");
  EXPECT_EQ(feed->events[3].event.workstation, "ws-2");
  EXPECT_LT(feed->events[0].position, feed->events[1].position);
  auto rest = m_shared->feed(feed->events[1].position, 10);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->events.size(), 2u) << "after a position, only what came later";
  EXPECT_EQ(rest->cursor, feed->cursor);
}

TEST_P(SharedDatabaseTest, AResentEventIsAnsweredWithItsStoredOutcomeOtherContentIsRefused) {
  push("ws-1", {summary(1, "e1"), orderChange("ws-1", 2, "e2", 0)});
  PushAnswer again = push("ws-1", {summary(1, "e1"), orderChange("ws-1", 2, "e2", 0), summary(3, "e3")});
  ASSERT_EQ(again.acks.size(), 3u);
  EXPECT_TRUE(again.acks[0].duplicate);
  EXPECT_TRUE(again.acks[1].duplicate);
  EXPECT_EQ(again.acks[1].outcome, EventOutcome::Applied);
  EXPECT_FALSE(again.acks[2].duplicate);

  SharedEvent forged = summary(1, "e1");
  forged.payload["state"] = "failed";
  PushAnswer refused = push("ws-1", {forged});
  ASSERT_EQ(refused.acks.size(), 1u);
  EXPECT_EQ(refused.acks[0].outcome, EventOutcome::Refused);
  EXPECT_THAT(refused.acks[0].reason, HasSubstr("already in the shared database with other content"));
  auto feed = m_shared->feed(m_afterUsers, 10);
  ASSERT_TRUE(feed);
  EXPECT_EQ(feed->events.size(), 3u);
  EXPECT_EQ(feed->events[0].event.payload["state"], "succeeded") << "the stored event is kept as it came";
}

TEST_P(SharedDatabaseTest, AGapEndsTheBatchAndNamesWhatComesNext) {
  push("ws-1", {summary(1, "e1")});
  PushAnswer gap = push("ws-1", {summary(3, "e3"), summary(4, "e4")});
  EXPECT_TRUE(gap.acks.empty());
  EXPECT_EQ(gap.expectedSeq, 2);
  auto expected = m_shared->expectedSeq("ws-1");
  ASSERT_TRUE(expected);
  EXPECT_EQ(*expected, 2);
  auto stranger = m_shared->expectedSeq("ws-9");
  ASSERT_TRUE(stranger);
  EXPECT_EQ(*stranger, 1);
}

TEST_P(SharedDatabaseTest, AStaleOrderChangeIsAStoredConflictAndTheQueueMovesOn) {
  push("ws-1", {orderChange("ws-1", 1, "created", 0)});
  push("ws-2", {orderChange("ws-2", 1, "theirs", 1, "FILE_UPLOADED")});
  PushAnswer mine = push("ws-1", {orderChange("ws-1", 2, "mine", 1, "CANCELLED"), summary(3, "after")});
  ASSERT_EQ(mine.acks.size(), 2u);
  EXPECT_EQ(mine.acks[0].outcome, EventOutcome::Conflict);
  EXPECT_THAT(mine.acks[0].reason, HasSubstr("order ORD-000001 is at version 2 in the shared database; this change "
                                             "was made on version 1"));
  EXPECT_EQ(mine.acks[1].outcome, EventOutcome::Applied);
  auto order = m_shared->order("ORD-000001");
  ASSERT_TRUE(order && *order);
  EXPECT_EQ((*order)->version, 2);
  EXPECT_EQ((*order)->record["status"], "FILE_UPLOADED");
  auto feed = m_shared->feed(m_afterUsers, 10);
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->events.size(), 4u);
  EXPECT_EQ(feed->events[2].outcome, EventOutcome::Conflict) << "stored as such, for the pull to list";
}

TEST_P(SharedDatabaseTest, WhatThisBuildCannotReadIsRefusedNotApplied) {
  SharedEvent newer = summary(1, "e1");
  newer.payloadVersion = kPayloadVersion + 1;
  SharedEvent unknown = summary(2, "e2");
  unknown.kind = "order.teleported";
  SharedEvent bad = orderChange("ws-1", 3, "e3", 0);
  bad.payload["order"]["priority"] = 9;
  SharedEvent skipped = orderChange("ws-1", 4, "e4", 0);
  skipped.payload["order"]["version"] = 5;
  PushAnswer answer = push("ws-1", {newer, unknown, bad, skipped});
  ASSERT_EQ(answer.acks.size(), 4u);
  EXPECT_THAT(answer.acks[0].reason, HasSubstr("payload version 2 of \"run.summary\" is not one this build reads"));
  EXPECT_THAT(answer.acks[1].reason, HasSubstr("\"order.teleported\" is not a kind of event this build knows"));
  EXPECT_THAT(answer.acks[2].reason, HasSubstr("the order's \"priority\" must be 0 to 3"));
  EXPECT_THAT(answer.acks[3].reason, HasSubstr("must leave order ORD-000001 at version 1"));
  for (const EventAck& ack : answer.acks) {
    EXPECT_EQ(ack.outcome, EventOutcome::Refused);
  }
  auto order = m_shared->order("ORD-000001");
  ASSERT_TRUE(order);
  EXPECT_FALSE(*order) << "nothing refused was applied";
  EXPECT_EQ(answer.expectedSeq, 5) << "and the queue moved on";
}

TEST_P(SharedDatabaseTest, AnOrderChangeIsTakenOnlyFromAUserTheShopKnowsInTheirRole) {
  SharedEvent stranger = orderChange("ws-1", 1, "e1", 0);
  stranger.payload["change"]["user"] = "mallory";
  SharedEvent promoted = orderChange("ws-1", 2, "e2", 0);
  promoted.payload["change"]["role"] = "supervisor";
  PushAnswer answer = push("ws-1", {stranger, promoted, orderChange("ws-1", 3, "e3", 0)});
  ASSERT_EQ(answer.acks.size(), 3u);
  EXPECT_EQ(answer.acks[0].outcome, EventOutcome::Refused);
  EXPECT_THAT(answer.acks[0].reason, HasSubstr("names \"mallory\", whom the shop does not know"));
  EXPECT_EQ(answer.acks[1].outcome, EventOutcome::Refused);
  EXPECT_THAT(answer.acks[1].reason, HasSubstr("says olga is supervisor, but the shop knows them as operator"));
  EXPECT_EQ(answer.acks[2].outcome, EventOutcome::Applied) << answer.acks[2].reason;
  auto order = m_shared->order("ORD-000001");
  ASSERT_TRUE(order && *order);
  EXPECT_EQ((*order)->eventId, "e3") << "only the honest change was applied";
}

TEST_P(SharedDatabaseTest, AnOrderChangeMustKeepTheStatusModel) {
  push("ws-1", {orderChange("ws-1", 1, "created", 0)});
  SharedEvent held = orderChange("ws-1", 2, "held", 1);
  held.payload["order"]["hold_reason"] = "PAYMENT";
  held.payload["change"]["action"] = "order.held";
  SharedEvent leap = orderChange("ws-1", 3, "leap", 2, "SHIPPED");
  SharedEvent whileHeld = orderChange("ws-1", 4, "while-held", 2, "FILE_UPLOADED");
  whileHeld.payload["order"]["hold_reason"] = "PAYMENT";
  SharedEvent released = orderChange("ws-1", 5, "released", 2);
  PushAnswer answer = push("ws-1", {held, leap, whileHeld, released});
  ASSERT_EQ(answer.acks.size(), 4u);
  EXPECT_EQ(answer.acks[0].outcome, EventOutcome::Applied) << answer.acks[0].reason;
  EXPECT_EQ(answer.acks[1].outcome, EventOutcome::Refused);
  EXPECT_THAT(answer.acks[1].reason, HasSubstr("moves order ORD-000001 from INITIATED to SHIPPED, which the status "
                                               "model does not allow"));
  EXPECT_EQ(answer.acks[2].outcome, EventOutcome::Refused);
  EXPECT_THAT(answer.acks[2].reason, HasSubstr("while it is on hold"));
  EXPECT_EQ(answer.acks[3].outcome, EventOutcome::Applied) << answer.acks[3].reason;
  auto order = m_shared->order("ORD-000001");
  ASSERT_TRUE(order && *order);
  EXPECT_EQ((*order)->version, 3);
  EXPECT_EQ((*order)->record["status"], "INITIATED");
  EXPECT_TRUE((*order)->record["hold_reason"].is_null());
}

TEST_P(SharedDatabaseTest, EachWorkstationsAuditChainMustContinueWhereItEnded) {
  // A real chain, from a real workstation database.
  auto local = store::LocalStore::open({m_dir.file("ws.db"), true, store::Durability::Normal, {}});
  ASSERT_TRUE(local);
  store::OrderStore orders(**local);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(orders.create({"", "Acme", 1, std::nullopt, "PLA", "", "", Json::object()}, {"olga", "operator", "ws-1", "", ""}));
  }
  std::vector<SharedEvent> entries;
  {
    auto db = store::Database::open({(*local)->path(), true, false, store::Durability::Normal, 5000, {}});
    ASSERT_TRUE(db);
    auto all = store::queryAudit(**db, {});
    ASSERT_TRUE(all);
    for (const store::AuditEntry& entry : *all) {
      Json payload{{"seq", entry.seq},         {"id", entry.id},
                   {"at_ms", entry.atMs},      {"user", entry.user},
                   {"role", entry.role},       {"workstation", entry.workstation},
                   {"correlation_id", entry.correlationId},
                   {"action", entry.action},   {"subject_type", entry.subjectType},
                   {"subject_id", entry.subjectId},
                   {"order_number", entry.orderNumber.empty() ? Json(nullptr) : Json(entry.orderNumber)},
                   {"before", entry.before.is_null() ? Json(nullptr) : Json(entry.before.dump())},
                   {"after", entry.after.is_null() ? Json(nullptr) : Json(entry.after.dump())},
                   {"reason", entry.reason},   {"prev_hash", entry.prevHash},
                   {"hash", entry.hash}};
      entries.push_back({"a" + std::to_string(entry.seq), "ws-1", entry.seq, "audit.entry", kPayloadVersion, entry.id,
                         std::nullopt, std::move(payload), entry.atMs});
    }
  }
  ASSERT_EQ(entries.size(), 3u);

  SharedEvent skipping = entries[1];
  skipping.seq = 1;
  skipping.id = "skip";
  PushAnswer skipped = push("ws-1", {skipping});
  ASSERT_EQ(skipped.acks.size(), 1u);
  EXPECT_EQ(skipped.acks[0].outcome, EventOutcome::Refused);
  EXPECT_THAT(skipped.acks[0].reason, HasSubstr("audit entry 2 does not follow entry 0"));

  SharedEvent edited = entries[0];
  edited.seq = 2;
  edited.id = "edited";
  edited.payload["reason"] = "nothing to see";
  PushAnswer forged = push("ws-1", {edited});
  ASSERT_EQ(forged.acks.size(), 1u);
  EXPECT_THAT(forged.acks[0].reason, HasSubstr("audit entry 1 does not hash to the hash it carries"));

  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i].seq = static_cast<std::int64_t>(i) + 3;
  }
  PushAnswer honest = push("ws-1", entries);
  ASSERT_EQ(honest.acks.size(), 3u);
  for (const EventAck& ack : honest.acks) {
    EXPECT_EQ(ack.outcome, EventOutcome::Applied) << ack.reason;
  }
  SharedEvent repeated = entries[2];
  repeated.seq = 6;
  repeated.id = "repeated";
  PushAnswer again = push("ws-1", {repeated});
  EXPECT_THAT(again.acks.at(0).reason, HasSubstr("audit entry 3 does not follow entry 3"))
      << "an entry sent twice under another id does not extend the chain";
}

TEST_P(SharedDatabaseTest, OrderNumbersAreHandedOutOnceInBlocksAndClaimsMustNotClash) {
  auto first = m_shared->reserveNumbers("ws-1", 100);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->first, 1);
  EXPECT_EQ(first->last, 100);
  auto second = m_shared->reserveNumbers("ws-2", 100);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->first, 101);

  Status clash = m_shared->claimNumbers("ws-3", {90, 120});
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::Conflict);
  EXPECT_THAT(clash.error().message, HasSubstr("workstation \"ws-3\" has orders ORD-000090 to ORD-000120, but "
                                               "workstation \"ws-1\" of the shared database holds order numbers "
                                               "ORD-000001 to ORD-000100"));
  EXPECT_TRUE(m_shared->claimNumbers("ws-1", {1, 50})) << "its own numbers";
  EXPECT_TRUE(m_shared->claimNumbers("ws-3", {201, 250}));
  EXPECT_TRUE(m_shared->claimNumbers("ws-3", {201, 260})) << "claiming again, with more";
  auto after = m_shared->reserveNumbers("ws-1", 10);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->first, 261) << "after every number handed out or claimed";
}

TEST_P(SharedDatabaseTest, ItKnowsItsSchemaAndEpoch) {
  auto identity = m_shared->identity();
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->epoch.size(), 32u);
  EXPECT_GE(identity->schemaVersion, 1);
  EXPECT_THAT(m_shared->describe(), ::testing::Not(HasSubstr("password")));
}

template <typename Opened>
std::unique_ptr<SharedDatabase> opened(Opened shared) {
  EXPECT_TRUE(shared) << shared.error().describe();
  return shared ? std::move(shared).value() : nullptr;
}

INSTANTIATE_TEST_SUITE_P(
    Backends, SharedDatabaseTest,
    ::testing::Values(
        BackendCase{"SqliteFile",
                    [](const TempDir& dir) { return opened(SqliteSharedDatabase::create(dir.file("shared.db"))); }},
        BackendCase{"Postgres",
                    [](const TempDir&) { return opened(PostgresSharedDatabase::create(opflow::testing::processPgServer().database())); }}),
    [](const ::testing::TestParamInfo<BackendCase>& backend) { return backend.param.name; });

TEST(SqliteSharedFileTest, AMissingFileIsUnreachableANewerOneIsRefused) {
  TempDir dir;
  auto missing = SqliteSharedDatabase::open(dir.file("nowhere.db"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::Io);
  EXPECT_THAT(missing.error().message, HasSubstr("is not there (only `opflow-cli shared init` makes one)"));
  EXPECT_FALSE(std::filesystem::exists(dir.file("nowhere.db"))) << "opening never creates one";

  ASSERT_TRUE(SqliteSharedDatabase::create(dir.file("shared.db")));
  {
    auto db = store::Database::open({dir.file("shared.db"), false, false, store::Durability::Normal, 5000, {}});
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->exec("PRAGMA user_version = 99"));
  }
  auto newer = SqliteSharedDatabase::open(dir.file("shared.db"));
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, ErrorCode::Conflict);
  EXPECT_THAT(newer.error().message, HasSubstr("is a shared database of schema version 99, newer than this build's"));
  EXPECT_FALSE(SqliteSharedDatabase::create(dir.file("shared.db"))) << "nor is it migrated down";
}

} // namespace
} // namespace opflow::sync::test
