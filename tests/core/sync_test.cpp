// Two and more workstation databases (real SQLite files, real stores) joined to one shared
// database, a SQLite file or a PostgreSQL server the tests start: what one does reaches
// the other, a lost acknowledgement doubles nothing, a conflict is listed and the local
// order takes the shared state, order numbers, users and definitions are the shop's, a
// restored shared database gets again what it lacks, a cut connection or a push held open
// loses nothing, a clock hours off decides nothing, a week offline is pulled a page at a
// time, and every audit chain still verifies, here and in the shared database.
#include "SyncTestSupport.h"

#include "opflow/model/OperationBuilder.h"
#include "opflow/store/DefinitionStore.h"
#include "opflow/store/SignatureStore.h"
#include "opflow/sync/SyncConflicts.h"

#include <fmt/format.h>
#include <gmock/gmock.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

namespace opflow::sync::test {
namespace {

using domain::OrderStatus;
using ::testing::HasSubstr;

// The shop's admin ada signs at `ws` that order `number`'s file is the customer's, through
// the signature store (her password checked, the signature audited); the signature as an
// order change records it (an empty id when she could not).
store::OrderSignature adaSigns(const Workstation& ws, const std::string& number) {
  store::UserStore users(*ws.store);
  store::SignatureStore signatures(*ws.store, users);
  auto given = signatures.sign({"ada", "ada-password", "the file is the customer's", "order", number, ws.name, "",
                                number});
  EXPECT_TRUE(given) << given.error().describe();
  return given ? store::OrderSignature{given->id, "ada", "admin", given->meaning, given->atMs} : store::OrderSignature{};
}

// A shared database whose feed pages are counted: how many were read, and the most
// events asked for and handed over at once.
class CountedFeed final : public SharedDatabase {
public:
  explicit CountedFeed(SharedDatabase& shared) : m_shared(shared) {}

  Result<SharedIdentity> identity() override { return m_shared.identity(); }
  Result<PushAnswer> push(const std::string& workstation, const std::vector<SharedEvent>& events) override {
    return m_shared.push(workstation, events);
  }
  Result<std::int64_t> expectedSeq(const std::string& workstation) override { return m_shared.expectedSeq(workstation); }
  Result<FeedPage> feed(std::int64_t position, std::size_t limit) override {
    auto page = m_shared.feed(position, limit);
    ++pages;
    largestAsked = std::max(largestAsked, limit);
    largestPage = std::max(largestPage, page ? page->events.size() : 0);
    return page;
  }
  Status claimNumbers(const std::string& workstation, const NumberBlock& block) override {
    return m_shared.claimNumbers(workstation, block);
  }
  Result<NumberBlock> reserveNumbers(const std::string& workstation, std::int64_t count) override {
    return m_shared.reserveNumbers(workstation, count);
  }
  Result<std::optional<SharedOrder>> order(const std::string& number) override { return m_shared.order(number); }
  Result<std::vector<ShopAuditEntry>> auditEntries(const ShopAuditQuery& query) override {
    return m_shared.auditEntries(query);
  }
  Result<ShopOperationSteps> operationSteps(const store::StatisticsQuery& query) override {
    return m_shared.operationSteps(query);
  }
  Result<bool> waitForChange(std::chrono::milliseconds timeout) override { return m_shared.waitForChange(timeout); }
  std::string describe() const override { return m_shared.describe(); }

  std::size_t pages = 0;
  std::size_t largestAsked = 0;
  std::size_t largestPage = 0;

private:
  SharedDatabase& m_shared;
};

// What only a shared file can show (a restore is a file copied back).
class SqliteSyncTest : public SyncFixture {};

TEST_P(SyncTest, AnOrderMadeAtOneWorkstationReachesTheOther) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  auto created = one.orders->create({"", "Acme", 2, 1250, "PLA", "", "", Json::object()}, one.actor());
  ASSERT_TRUE(created) << created.error().describe();
  ASSERT_TRUE(one.orders->transition(created->number, OrderStatus::FileUploaded, one.actor()));

  const std::int64_t waiting = one.scalar("SELECT count(*) FROM outbox WHERE pushed_at IS NULL");
  SyncReport pushed = sync(one);
  EXPECT_EQ(pushed.pushed, waiting);
  EXPECT_EQ(one.scalar("SELECT count(*) FROM outbox WHERE pushed_at IS NULL"), 0);
  SyncReport pulled = sync(two);
  EXPECT_EQ(pulled.pulled, 2) << "the creation and the move";

  const store::Order there = two.order(created->number);
  EXPECT_EQ(there.status, OrderStatus::FileUploaded);
  EXPECT_EQ(there.version, 2);
  EXPECT_EQ(there.customer, "Acme");
  EXPECT_EQ(there.priceCents, 1250);
  EXPECT_EQ(two.scalar("SELECT count(*) FROM audit WHERE action = 'order.pulled'"), 2);
  const store::AuditVerification verified = two.verify();
  EXPECT_TRUE(verified.intact) << findingsOf(verified);
  EXPECT_TRUE(one.verify().intact);

  auto state = readSyncState(*two.store);
  ASSERT_TRUE(state && *state);
  EXPECT_EQ((*state)->pulled, 3 + 2) << "the shop's three users when it joined, then the creation and the move";
  EXPECT_EQ((*state)->outboxPending, 0) << "what the pull wrote went up in the same round";
  EXPECT_TRUE((*state)->lastContactMs);
}

TEST_P(SyncTest, ALostAcknowledgementIsSentAgainAndDoublesNothing) {
  Workstation one = workstation("ws-1");
  ASSERT_TRUE(one.create());
  const SyncReport first = sync(one);
  ASSERT_GT(first.pushed, 0);
  // The shared side committed; the answer never arrived.
  ASSERT_TRUE(one.store->writer().execute([](store::Database& db) {
    return db.exec("UPDATE outbox SET pushed_at = NULL, outcome = NULL");
  }));
  const std::int64_t sent = one.scalar("SELECT count(*) FROM outbox");
  const SyncReport again = sync(one);
  EXPECT_EQ(again.pushed, sent);
  EXPECT_EQ(again.duplicates, sent) << "each answered with its stored outcome";
  auto feed = m_shared->feed(0, 1000);
  ASSERT_TRUE(feed);
  EXPECT_EQ(static_cast<std::int64_t>(feed->events.size()), sent + 3) << "nothing doubled (beside the shop's users)";
}

TEST_P(SyncTest, TwoWorkstationsMovingOneOrderOfflineMakeAListedConflict) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  const store::Order created = orderBothKnow(one, two);
  // Both move it from version 1 while apart.
  ASSERT_TRUE(one.orders->transition(created.number, OrderStatus::FileUploaded, one.actor("olga")));
  ASSERT_TRUE(two.orders->transition(created.number, OrderStatus::Cancelled, two.actor("tom")));
  ASSERT_TRUE(two.orders->create({"", "Later Ltd", 1, std::nullopt, "PLA", "", "", Json::object()}, two.actor("tom")));
  sync(one);
  const SyncReport second = sync(two);

  EXPECT_EQ(second.conflicts, 1);
  EXPECT_EQ(two.order(created.number).status, OrderStatus::FileUploaded) << "the shared state stands";
  EXPECT_EQ(two.scalar("SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL AND outcome = 'conflict'"), 1);
  EXPECT_EQ(two.scalar("SELECT local_version FROM sync_conflicts"), 1);
  EXPECT_EQ(two.scalar("SELECT shared_version FROM sync_conflicts"), 2);
  EXPECT_EQ(two.scalar("SELECT count(*) FROM audit WHERE action = 'sync.conflict'"), 1) << "the lost change, audited";
  EXPECT_EQ(two.scalar("SELECT count(*) FROM outbox WHERE outcome = 'applied' AND kind = 'order.changed'"), 1)
      << "the order made after the conflict went through: a conflict never blocks the queue";
  const store::AuditVerification verified = two.verify();
  EXPECT_TRUE(verified.intact) << findingsOf(verified);

  sync(one);
  EXPECT_EQ(one.order(created.number).status, OrderStatus::FileUploaded);
  EXPECT_EQ(one.scalar("SELECT count(*) FROM orders"), 2) << "the other order reached ws-1";
  EXPECT_EQ(one.scalar("SELECT count(*) FROM sync_conflicts"), 0) << "the conflict is ws-2's to resolve";
}

TEST_P(SyncTest, LaterChangesMadeOnAStateThatLostAreConflictsToo) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  const store::Order created = orderBothKnow(one, two);
  ASSERT_TRUE(two.orders->hold(created.number, domain::HoldReason::Payment, two.actor("sam")));
  sync(two);
  // Apart, ws-1 moves the order twice: version 2, then 3 on its own version 2.
  ASSERT_TRUE(one.orders->transition(created.number, OrderStatus::FileUploaded, one.actor()));
  ASSERT_TRUE(one.orders->transition(created.number, OrderStatus::Submitted, one.actor()));
  const SyncReport report = sync(one);
  EXPECT_EQ(report.conflicts, 2) << "the second move was made on ws-1's version 2, not on the shared one";
  auto shared = m_shared->order(created.number);
  ASSERT_TRUE(shared && *shared);
  EXPECT_EQ((*shared)->record["hold_reason"], "PAYMENT") << "the hold is not lost";
  EXPECT_EQ((*shared)->record["status"], "INITIATED");
  EXPECT_TRUE(one.order(created.number).hold);
  const store::AuditVerification verified = one.verify();
  EXPECT_TRUE(verified.intact) << findingsOf(verified);
}

// Online, an operation first reads the shop's state of its order: a move made after that
// lands on the shared version, not on the older one this workstation held, and the feed
// event of the state already taken changes nothing when it arrives.
TEST_P(SyncTest, AMoveMadeOnlineIsMadeOnTheStateTheShopHolds) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  const store::Order created = orderBothKnow(one, two);
  ASSERT_TRUE(one.orders->transition(created.number, OrderStatus::FileUploaded, one.actor()));
  sync(one);

  Synchronizer look(*two.store, *m_shared, two.name);
  auto taken = look.takeCurrentOrder(created.number);
  ASSERT_TRUE(taken) << taken.error().describe();
  EXPECT_TRUE(*taken);
  EXPECT_EQ(two.order(created.number).status, OrderStatus::FileUploaded);
  auto again = look.takeCurrentOrder(created.number);
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again) << "this workstation holds the shop's state already";
  ASSERT_TRUE(two.orders->transition(created.number, OrderStatus::Submitted, two.actor("tom")));
  auto waiting = look.takeCurrentOrder(created.number);
  ASSERT_TRUE(waiting);
  EXPECT_FALSE(*waiting) << "a change made here waits to go up: the shop answers it first";
  EXPECT_EQ(two.order(created.number).status, OrderStatus::Submitted);

  const SyncReport report = sync(two);
  EXPECT_EQ(report.conflicts, 0) << "made on the shared version";
  EXPECT_EQ(report.pulled, 0) << "ws-1's move was taken before the move, not again from the feed";
  sync(one);
  EXPECT_EQ(one.order(created.number).status, OrderStatus::Submitted);
  for (const Workstation* ws : {&one, &two}) {
    const store::AuditVerification verified = ws->verify();
    EXPECT_TRUE(verified.intact) << ws->name << ": " << findingsOf(verified);
  }
}

TEST_P(SyncTest, AfterAConflictTheNextChangeIsMadeOnTheSharedState) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  const store::Order created = orderBothKnow(one, two);
  ASSERT_TRUE(one.orders->transition(created.number, OrderStatus::FileUploaded, one.actor()));
  sync(one);
  // ws-2 moves it on version 1 and pushes without pulling: its move lands between ws-1's two.
  ASSERT_TRUE(two.orders->transition(created.number, OrderStatus::Cancelled, two.actor("tom")));
  Synchronizer pushOnly(*two.store, *m_shared, two.name);
  ASSERT_TRUE(pushOnly.push());
  ASSERT_TRUE(one.orders->transition(created.number, OrderStatus::Submitted, one.actor()));
  sync(one);

  const SyncReport pulled = sync(two);
  EXPECT_EQ(pulled.conflicts, 1);
  EXPECT_EQ(two.order(created.number).status, OrderStatus::Submitted) << "the shared state, taken at the conflict";
  ASSERT_TRUE(two.orders->hold(created.number, domain::HoldReason::Payment, two.actor("sam")));
  const SyncReport after = sync(two);
  EXPECT_EQ(after.conflicts, 0) << "made on the shared state, the hold applies";
  auto shared = m_shared->order(created.number);
  ASSERT_TRUE(shared && *shared);
  EXPECT_EQ((*shared)->record["hold_reason"], "PAYMENT");
  EXPECT_EQ((*shared)->workstation, "ws-2");
  const store::AuditVerification verified = two.verify();
  EXPECT_TRUE(verified.intact) << findingsOf(verified);
}

TEST_P(SyncTest, ACopiedDatabaseJoinedUnderAnotherNameIsRefusedNotLooped) {
  Workstation one = workstation("ws-1");
  ASSERT_TRUE(one.create());
  sync(one);
  {
    auto source = store::Database::open({one.store->path(), true, false, store::Durability::Normal, 5000, {}});
    ASSERT_TRUE(source);
    ASSERT_TRUE((*source)->exec("VACUUM INTO '" + m_dir.file("copied.db") + "'"));
  }
  auto copied = store::LocalStore::open({m_dir.file("copied.db"), false, store::Durability::Normal, {}});
  ASSERT_TRUE(copied);
  ASSERT_TRUE((*copied)->writer().execute([](store::Database& db) {
    return db.exec("DELETE FROM sync_state; UPDATE outbox SET pushed_at = NULL, outcome = NULL");
  }));
  Status joined = joinShared(**copied, *m_shared, sharedTarget(), "ws-2", kAdmin);
  ASSERT_FALSE(joined) << "its orders have numbers ws-1 holds";
  EXPECT_EQ(joined.error().code, ErrorCode::Conflict);
  EXPECT_THAT(joined.error().message, HasSubstr("workstation \"ws-2\" has orders ORD-000001 to ORD-000001, but "
                                                "workstation \"ws-1\" of the shared database holds order numbers "
                                                "ORD-000001 to"));
  auto state = readSyncState(**copied);
  ASSERT_TRUE(state);
  EXPECT_FALSE(*state) << "nothing written";

  ASSERT_TRUE((*copied)->writer().execute([](store::Database& db) {
    return db.exec("DELETE FROM order_history; DELETE FROM orders; DELETE FROM order_number_blocks");
  }));
  ASSERT_TRUE(joinShared(**copied, *m_shared, sharedTarget(), "ws-2", kAdmin)) << "without orders it joins";
  Synchronizer impostor(**copied, *m_shared, "ws-2");
  auto refused = impostor.once();
  ASSERT_FALSE(refused) << "it sent the same events again and again";
  EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
  EXPECT_THAT(refused.error().message, HasSubstr("with other content"));
}

TEST_P(SyncTest, AFeedReadAgainAppliesNothingTwice) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  ASSERT_TRUE(one.create());
  sync(one);
  sync(two);
  const std::int64_t entries = two.scalar("SELECT count(*) FROM audit");
  // As if the position had not been written with the page it was read with.
  ASSERT_TRUE(two.store->writer().execute([](store::Database& db) {
    return db.exec("UPDATE sync_state SET feed_position = 0");
  }));
  const SyncReport again = sync(two);
  EXPECT_EQ(again.pulled, 0);
  EXPECT_EQ(two.scalar("SELECT count(*) FROM audit"), entries);
}

TEST_F(SqliteSyncTest, ARestoredSharedDatabaseGetsAgainWhatItLacks) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  ASSERT_TRUE(one.create());
  sync(one);
  const std::string backup = m_dir.file("shared-backup.db");
  m_shared.reset();
  std::filesystem::copy_file(sharedTarget(), backup);
  auto reopened = SqliteSharedDatabase::open(sharedTarget());
  ASSERT_TRUE(reopened);
  m_shared = std::move(reopened).value();

  ASSERT_TRUE(one.create("Bolt Inc"));
  const SyncReport after = sync(one);
  const std::int64_t all = one.scalar("SELECT count(*) FROM outbox");
  sync(two);
  ASSERT_EQ(two.scalar("SELECT count(*) FROM orders"), 2);

  // The shared file is restored from the backup: it lacks the second order's events.
  m_shared.reset();
  std::filesystem::remove(sharedTarget() + "-wal");
  std::filesystem::remove(sharedTarget() + "-shm");
  std::filesystem::copy_file(backup, sharedTarget(), std::filesystem::copy_options::overwrite_existing);
  auto restored = SqliteSharedDatabase::open(sharedTarget());
  ASSERT_TRUE(restored);
  m_shared = std::move(restored).value();

  const SyncReport resync = sync(one);
  EXPECT_EQ(resync.resent, after.pushed);
  auto expected = m_shared->expectedSeq("ws-1");
  ASSERT_TRUE(expected);
  EXPECT_EQ(*expected, all + 1) << "every event is there again";
  auto order = m_shared->order("ORD-000002");
  ASSERT_TRUE(order && *order);

  // The restored feed took the positions ws-2 had read past for other events: ws-2 sees
  // that its last event is not where it was, and reads the feed again.
  ASSERT_TRUE(one.create("Cog Co"));
  sync(one);
  sync(two);
  EXPECT_EQ(two.scalar("SELECT count(*) FROM orders"), 3);
  EXPECT_EQ(two.scalar("SELECT count(*) FROM audit WHERE action = 'order.pulled'"), 3) << "nothing taken twice";
}

TEST_P(SyncTest, AnotherDatabaseUnderTheSameNameIsRefused) {
  Workstation one = workstation("ws-1");
  ASSERT_TRUE(one.create());
  sync(one);

  auto impostorStore = store::LocalStore::open({m_dir.file("copy.db"), true, store::Durability::Normal, {}});
  ASSERT_TRUE(impostorStore);
  store::OrderStore impostorOrders(**impostorStore);
  ASSERT_TRUE(impostorOrders.create({"", "Other", 1, std::nullopt, "PLA", "", "", Json::object()}, one.actor()));
  ASSERT_TRUE(joinShared(**impostorStore, *m_shared, sharedTarget(), "ws-1", kAdmin));
  Synchronizer impostor(**impostorStore, *m_shared, "ws-1");
  auto refused = impostor.once();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
  EXPECT_THAT(refused.error().message, HasSubstr("is another database joined under the same name?"));
}

TEST_P(SyncTest, JoiningTwiceIsTheSameJoiningElsewhereIsRefused) {
  Workstation one = workstation("ws-1");
  EXPECT_TRUE(joinShared(*one.store, *m_shared, sharedTarget(), "ws-1", kAdmin));
  auto other = SqliteSharedDatabase::create(m_dir.file("other-shared.db"));
  ASSERT_TRUE(other);
  Status elsewhere = joinShared(*one.store, **other, m_dir.file("other-shared.db"), "ws-1", kAdmin);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, ErrorCode::Conflict);
  EXPECT_THAT(elsewhere.error().message, HasSubstr("is workstation \"ws-1\" of the shared database"));
  EXPECT_FALSE(joinShared(*one.store, *m_shared, sharedTarget(), "ws-9", kAdmin)) << "one name in the shop";
}

TEST_P(SyncTest, WorkstationsCreatingOrdersOfflineNeverGiveOneNumberTwice) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(one.create());
    ASSERT_TRUE(two.create("Bolt"));
  }
  SyncReport first = sync(one);
  SyncReport second = sync(two);
  sync(one);
  EXPECT_EQ(first.conflicts + second.conflicts, 0);
  for (const Workstation* ws : {&one, &two}) {
    EXPECT_EQ(ws->scalar("SELECT count(*) FROM orders"), 6) << ws->name;
    EXPECT_EQ(ws->scalar("SELECT count(DISTINCT customer) FROM orders"), 2) << ws->name;
  }
  EXPECT_EQ(two.order("ORD-005001").customer, "Bolt") << "ws-2 numbers from the block after ws-1's";
}

TEST_P(SyncTest, ADatabaseWithOrdersJoinsWithThemAndOneWhoseNumbersClashIsRefused) {
  auto made = [this](const std::string& name, int orders) {
    auto opened = store::LocalStore::open({m_dir.file(name + ".db"), true, store::Durability::Normal, {}});
    EXPECT_TRUE(opened);
    store::OrderStore store(**opened);
    for (int i = 0; i < orders; ++i) {
      EXPECT_TRUE(store.create({"", "Acme", 1, std::nullopt, "PLA", "", "", Json::object()},
                               {"olga", "operator", name, "", ""}));
    }
    return std::move(opened).value();
  };
  auto shop = made("shop-1", 3);
  ASSERT_TRUE(joinShared(*shop, *m_shared, sharedTarget(), "shop-1", kAdmin));
  store::OrderStore shopOrders(*shop);
  auto next = shopOrders.create({"", "Next", 1, std::nullopt, "PLA", "", "", Json::object()},
                                {"olga", "operator", "shop-1", "", ""});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->number, "ORD-000004") << "its first block starts after the orders it claimed";

  auto clash = made("shop-2", 2);
  Status refused = joinShared(*clash, *m_shared, sharedTarget(), "shop-2", kAdmin);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("two orders would share a number"));
  auto state = readSyncState(*clash);
  ASSERT_TRUE(state);
  EXPECT_FALSE(*state) << "nothing written";
}

TEST_P(SyncTest, AJoinedDatabaseIsNotSeeded) {
  Workstation one = workstation("ws-1");
  auto seeded = store::seedOrders(*one.store, {10, 1, 1000, {"root", "admin", "ws-1", "", ""}});
  ASSERT_FALSE(seeded);
  EXPECT_EQ(seeded.error().code, ErrorCode::Conflict);
  EXPECT_THAT(seeded.error().message, HasSubstr("is workstation \"ws-1\" of a shop"));
  EXPECT_EQ(one.scalar("SELECT count(*) FROM orders"), 0);
}

TEST_P(SyncTest, ASyncTakesAnotherBlockBeforeTheNumbersInHandRunOut) {
  Workstation one = workstation("ws-1");
  EXPECT_EQ(one.scalar("SELECT sum(last - next + 1) FROM order_number_blocks"), kOrderNumberBlock);
  sync(one);
  EXPECT_EQ(one.scalar("SELECT count(*) FROM order_number_blocks"), 1) << "enough in hand";
  ASSERT_TRUE(one.store->writer().execute(
      [](store::Database& db) { return db.exec("UPDATE order_number_blocks SET next = last - 9"); }));
  sync(one);
  EXPECT_EQ(one.scalar("SELECT count(*) FROM order_number_blocks"), 2);
  EXPECT_EQ(one.scalar("SELECT sum(last - next + 1) FROM order_number_blocks"), kOrderNumberBlock + 10);
  for (int i = 0; i < 11; ++i) {
    ASSERT_TRUE(one.create());
  }
  EXPECT_EQ(one.order("ORD-005001").customer, "Acme") << "the old block first, then the new one";
}

TEST_P(SyncTest, UsersAndSignInRulesAreTheShops) {
  addShopAdmin();

  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  store::UserStore users1(*one.store);
  store::UserStore users2(*two.store);
  const store::Requester ada{store::Credentials{"ada", "ada-password"}, "ws-1", ""};
  ASSERT_TRUE(users1.add({"una", domain::Role::Operator, "una-password"}, ada));
  ASSERT_TRUE(users1.setSessionIdleMinutes(45, ada));
  const store::Requester adaThere{store::Credentials{"ada", "ada-password"}, "ws-2", ""};
  ASSERT_TRUE(users2.add({"UNA", domain::Role::Supervisor, "another-password"}, adaThere))
      << "the same name, added at ws-2 while apart";
  sync(one);
  sync(two);
  sync(one);

  for (store::UserStore* users : {&users1, &users2}) {
    auto una = users->authenticate({"una", "una-password"});
    ASSERT_TRUE(una && una->ok()) << (una ? "refused" : una.error().describe());
    EXPECT_EQ(una->user->role, domain::Role::Operator) << "the shop's una: ws-1 added her first";
    auto rules = users->policy();
    ASSERT_TRUE(rules);
    EXPECT_EQ(rules->sessionIdleMinutes, 45);
  }
  auto session = users2.login({"una", "una-password"}, "ws-2");
  ASSERT_TRUE(session);
  ASSERT_TRUE(users1.disable("una", ada));
  sync(one);
  sync(two);
  auto disabled = users2.get("una");
  ASSERT_TRUE(disabled);
  EXPECT_TRUE(disabled->disabled);
  auto open = users2.openSession("ws-2");
  ASSERT_TRUE(open);
  EXPECT_FALSE(*open) << "her session at ws-2 ended with the pull";
  for (const Workstation* ws : {&one, &two}) {
    const store::AuditVerification verified = ws->verify();
    EXPECT_TRUE(verified.intact) << ws->name << ": " << findingsOf(verified);
  }
  EXPECT_EQ(two.scalar("SELECT count(*) FROM audit WHERE action = 'user.pulled'"), 6)
      << "the office's four at joining, then una as ws-1 added and disabled her";
  EXPECT_EQ(two.scalar("SELECT count(*) FROM audit WHERE action = 'settings.pulled'"), 1);
}

// A definition version an admin loads at one workstation is the shop's: another workstation
// takes it with the next pull (a version of any number: the shop decided it). The same
// version loaded elsewhere with other content is a conflict listed there, and the shop's
// content replaces it there (no run used it); a load the file says an operator made is
// refused.
TEST_P(SyncTest, DefinitionsAnAdminLoadsReachEveryWorkstation) {
  addShopAdmin();
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  const auto approve = [](std::int64_t version, const char* label) {
    return model::OperationBuilder("approve", version)
        .startsWith("approval")
        .wait("approval", {.signal = "approved", .goTo = "done"})
        .result("done", {.expressions = {{"version", label}}})
        .build();
  };
  store::DefinitionStore definitions1(*one.store);
  store::DefinitionStore definitions2(*two.store);
  ASSERT_TRUE(definitions1.store({approve(1, "one"), approve(2, "two")}, {"ada", "admin", "ws-1"}));
  ASSERT_TRUE(definitions2.store({approve(2, "other")}, {"ada", "admin", "ws-2"})) << "loaded while apart";
  sync(one);
  SyncReport second = sync(two);
  EXPECT_EQ(second.conflicts, 1);

  auto held = definitions2.loadAll();
  ASSERT_TRUE(held);
  ASSERT_EQ(held->size(), 2u) << "v1 and v2 taken from the shop";
  auto shopContent = definitions1.loadAll();
  ASSERT_TRUE(shopContent);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(held->at(i).contentHash, shopContent->at(i).contentHash) << "v" << i + 1 << " is the shop's content";
  }
  auto conflicts = listConflicts(*two.store, true);
  ASSERT_TRUE(conflicts);
  ASSERT_EQ(conflicts->size(), 1u);
  EXPECT_EQ(conflicts->at(0).kind, "definition.loaded");
  EXPECT_EQ(conflicts->at(0).subject, "approve v2");
  EXPECT_EQ(conflicts->at(0).outcome, "conflict");
  EXPECT_THAT(conflicts->at(0).reason, HasSubstr("in the shop already with other content"));
  EXPECT_EQ(two.scalar("SELECT count(*) FROM audit WHERE action = 'definition.pulled'"), 2);
  EXPECT_EQ(two.scalar("SELECT count(*) FROM audit WHERE action = 'definition.pulled' AND before IS NOT NULL"), 1)
      << "the replaced content, named";

  // ws-1 has every version the shop holds, and nothing of ws-2's refused one.
  sync(one);
  auto shop = definitions1.loadAll();
  ASSERT_TRUE(shop);
  ASSERT_EQ(shop->size(), 2u);
  EXPECT_EQ(shop->at(1).definition.version, 2);
  EXPECT_EQ(one.scalar("SELECT count(*) FROM audit WHERE action = 'definition.pulled'"), 0);

  // A file that says an operator loaded v3 is not the shop's word.
  ASSERT_TRUE(definitions2.store({approve(3, "forged")}, {"olga", "operator", "ws-2"}));
  sync(two);
  auto refused = listConflicts(*two.store, true);
  ASSERT_TRUE(refused);
  ASSERT_EQ(refused->size(), 2u);
  EXPECT_EQ(refused->at(1).outcome, "refused");
  EXPECT_THAT(refused->at(1).reason, HasSubstr("only an admin loads definitions"));
  sync(one);
  auto still = definitions1.loadAll();
  ASSERT_TRUE(still);
  EXPECT_EQ(still->size(), 2u);
  for (const Workstation* ws : {&one, &two}) {
    const store::AuditVerification verified = ws->verify();
    EXPECT_TRUE(verified.intact) << ws->name << ": " << findingsOf(verified);
  }
}

// A signature an order change records must be one the shop saw given in the workstation's
// audit chain; one written into the file behind the signature store is refused, and the
// order stays as the shop had it.
TEST_P(SyncTest, AnOrderChangeRecordsOnlyASignatureTheShopSawGiven) {
  addShopAdmin();
  Workstation one = workstation("ws-1");
  auto first = one.create();
  auto second = one.create();
  ASSERT_TRUE(first && second);
  const store::OrderSignature honest = adaSigns(one, first->number);
  ASSERT_FALSE(honest.id.empty());
  auto moved = one.orders->transition(first->number, OrderStatus::FileUploaded, one.actor(), {Json::object(), honest, "signed"});
  ASSERT_TRUE(moved) << moved.error().describe();

  // Someone who can write the file adds a signature row the signature store never gave.
  ASSERT_TRUE(one.store->writer().execute([&](store::Database& db) {
    return db.exec("INSERT INTO signatures (id, signer, role, meaning, subject_type, subject_id, workstation, at) "
                   "VALUES ('forged-signature', 'ada', 'admin', 'the file is the customer''s', 'order', '" +
                   second->number + "', 'ws-1', 1)");
  }));
  const store::OrderSignature forged{"forged-signature", "ada", "admin", "the file is the customer's", 1};
  ASSERT_TRUE(one.orders->transition(second->number, OrderStatus::FileUploaded, one.actor(), {Json::object(), forged, "signed"}));
  const SyncReport report = sync(one);
  EXPECT_EQ(report.refused, 1);

  auto shop = m_shared->order(first->number);
  ASSERT_TRUE(shop && *shop);
  EXPECT_EQ((*shop)->record["status"], "FILE_UPLOADED") << "the honest signature is the shop's";
  auto other = m_shared->order(second->number);
  ASSERT_TRUE(other && *other);
  EXPECT_EQ((*other)->record["status"], "INITIATED") << "the forged one was never applied";
  EXPECT_EQ(one.order(second->number).status, OrderStatus::Initiated) << "and the shop's state is taken back";
  auto conflicts = listConflicts(*one.store, true);
  ASSERT_TRUE(conflicts);
  ASSERT_EQ(conflicts->size(), 1u);
  EXPECT_EQ(conflicts->at(0).outcome, "refused");
  EXPECT_THAT(conflicts->at(0).reason, HasSubstr("records signature \"forged-signature\", which the shop never saw given"));
}

// An audit entry edited in the workstation's file breaks its chain: the shop refuses it
// and every entry after it, `sync` says so (refused) and ends, and nothing of it is
// listed as a conflict to resolve (which would write another refused entry, and so on).
TEST_P(SyncTest, AChainEditedHereIsRefusedAndTheSyncStillEnds) {
  Workstation one = workstation("ws-1");
  ASSERT_TRUE(one.create());
  ASSERT_TRUE(one.store->writer().execute([](store::Database& db) {
    return db.exec("DROP TRIGGER audit_refuse_update; UPDATE audit SET reason = 'nothing to see' "
                   "WHERE seq = (SELECT max(seq) FROM audit WHERE action = 'order.created')");
  }));
  ASSERT_TRUE(one.create("Later Ltd"));
  const SyncReport first = sync(one);
  EXPECT_GE(first.refused, 2) << "the edited entry and every one after it";
  EXPECT_EQ(first.conflicts, 0);
  const SyncReport second = sync(one);
  EXPECT_EQ(second.pushed, 0) << "nothing new was written by the first sync's pull";
  EXPECT_EQ(one.scalar("SELECT count(*) FROM sync_conflicts"), 0);
  EXPECT_EQ(one.scalar("SELECT count(*) FROM orders"), 2) << "the orders went up and stay";
}

// A shop migrated from the schema before signatures were checked knows the signatures its
// chains showed given until then, so a change recording one is taken after the upgrade.
TEST_P(SyncTest, AnUpgradedShopKnowsTheSignaturesGivenBefore) {
  addShopAdmin();
  Workstation one = workstation("ws-1");
  auto first = one.create();
  auto second = one.create();
  ASSERT_TRUE(first && second);
  const store::OrderSignature signature = adaSigns(one, first->number);
  ASSERT_FALSE(signature.id.empty());
  sync(one);

  // The shop as an earlier build left it: no definitions or signatures of its own, and no
  // audit or statistics indexes.
  sharedSql("DROP INDEX events_audit_order; DROP INDEX events_audit_correlation; DROP INDEX events_run_operation; "
            "DROP INDEX events_run_steps; DROP TABLE definitions; DROP TABLE signatures; PRAGMA user_version = 2",
            "DROP INDEX opflow.events_audit_order; DROP INDEX opflow.events_audit_correlation; "
            "DROP INDEX opflow.events_run_operation; DROP INDEX opflow.events_run_steps; "
            "DROP TABLE opflow.definitions; DROP TABLE opflow.signatures; DROP FUNCTION opflow.jsonb_or_null; "
            "UPDATE opflow.schema_version SET version = 1");
  auto upgraded = openSharedDatabase(sharedTarget(), true);
  ASSERT_TRUE(upgraded) << upgraded.error().describe();

  ASSERT_TRUE(one.orders->transition(second->number, OrderStatus::FileUploaded, one.actor(),
                                     {Json::object(), signature, "signed before the upgrade"}));
  Synchronizer synchronizer(*one.store, **upgraded, one.name);
  auto report = synchronizer.once();
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_EQ(report->refused, 0);
  auto shop = (*upgraded)->order(second->number);
  ASSERT_TRUE(shop && *shop);
  EXPECT_EQ((*shop)->record["status"], "FILE_UPLOADED");
}

// Nothing is decided by clock time: a workstation whose clock runs six hours ahead makes
// changes that look later than anyone's, and still a change made after them elsewhere on
// the version they left is applied everywhere, and the timelines stay in order.
TEST_P(SyncTest, AWorkstationClockHoursOffDecidesNothing) {
  constexpr std::int64_t kSixHours = 6LL * 3600 * 1000;
  Workstation ahead = workstation("ws-ahead", [] { return store::nowMs() + kSixHours; });
  Workstation behind = workstation("ws-true");
  const store::Order created = orderBothKnow(ahead, behind);
  ASSERT_TRUE(ahead.orders->transition(created.number, OrderStatus::FileUploaded, ahead.actor()));
  sync(ahead);
  sync(behind);
  ASSERT_EQ(behind.order(created.number).status, OrderStatus::FileUploaded);
  ASSERT_TRUE(behind.orders->transition(created.number, OrderStatus::Submitted, behind.actor("tom")));
  EXPECT_EQ(sync(behind).conflicts, 0) << "made on the version the shop holds, whatever its time says";
  EXPECT_EQ(sync(ahead).conflicts, 0);
  const store::Order there = ahead.order(created.number);
  EXPECT_EQ(there.status, OrderStatus::Submitted) << "taken back though it looks six hours older";
  EXPECT_EQ(there.version, 3);
  auto timeline = ahead.orders->history(created.number);
  ASSERT_TRUE(timeline);
  ASSERT_EQ(timeline->size(), 3u);
  EXPECT_EQ(timeline->back().status, OrderStatus::Submitted) << "the status it has is the last it entered";
  for (const Workstation* ws : {&ahead, &behind}) {
    const store::AuditVerification verified = ws->verify();
    EXPECT_TRUE(verified.intact) << ws->name << ": " << findingsOf(verified);
  }
}

// A week offline: 100,000 events of the shop wait for a workstation, which pulls them a
// page at a time, never asking for nor holding more than a page, and takes every order.
TEST_P(SyncTest, AWeekOfflineIsPulledAPageAtATime) {
  Workstation late = workstation("ws-late");
  constexpr int kEvents = 100'000;
  constexpr int kEveryOrder = 100; // one event in a hundred creates an order; the rest are run summaries
  std::vector<SharedEvent> batch;
  for (int i = 0; i < kEvents; ++i) {
    const std::int64_t seq = 4 + i; // after the shop's three users
    const std::string id = fmt::format("office-{:06}", i);
    if (i % kEveryOrder == 0) {
      store::Order order;
      order.number = fmt::format("OFF-{:06}", i / kEveryOrder + 1);
      order.customer = "Acme";
      order.material = "PLA";
      order.createdAtMs = order.updatedAtMs = 1;
      order.version = 1;
      order.details = Json::object();
      batch.push_back({id, "office", seq, "order.changed", kPayloadVersion, order.number, 0,
                       Json{{"order", store::orderToJson(order)},
                            {"change", {{"action", "order.created"}, {"user", "olga"}, {"role", "operator"}}}},
                       1});
    } else {
      batch.push_back({id, "office", seq, "run.summary", kPayloadVersion, "run-" + id, std::nullopt,
                       Json{{"state", "completed"}}, 1});
    }
    if (batch.size() == 5000) {
      auto pushed = m_shared->push("office", batch);
      ASSERT_TRUE(pushed) << pushed.error().describe();
      ASSERT_EQ(pushed->acks.size(), batch.size());
      batch.clear();
    }
  }
  CountedFeed counted(*m_shared);
  Synchronizer synchronizer(*late.store, counted, late.name, {1000, 1000});
  auto pulled = synchronizer.pull();
  ASSERT_TRUE(pulled) << pulled.error().describe();
  EXPECT_EQ(pulled->pulled, kEvents / kEveryOrder);
  EXPECT_EQ(late.scalar("SELECT count(*) FROM orders"), kEvents / kEveryOrder);
  EXPECT_EQ(counted.largestAsked, 1000u);
  EXPECT_EQ(counted.largestPage, 1000u);
  EXPECT_GE(counted.pages, static_cast<std::size_t>(kEvents / 1000));
}

TEST_P(SyncTest, AChainEditedInTheSharedDatabaseIsFoundNamingTheWorkstation) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  ASSERT_TRUE(one.create());
  sync(one);
  sync(two);
  auto intact = verifySharedAudit(*m_shared, 3);
  ASSERT_TRUE(intact) << intact.error().describe();
  ASSERT_EQ(intact->chains.size(), 2u);
  EXPECT_TRUE(intact->intact());
  EXPECT_EQ(intact->chains[0].entries, one.scalar("SELECT count(*) FROM audit"));

  // Someone with the rights to turn the feed's guard off edits an entry of ws-1's.
  sharedSql("DROP TRIGGER events_no_update; UPDATE events SET payload = json_set(payload, '$.user', 'nobody') "
            "WHERE workstation = 'ws-1' AND kind = 'audit.entry' AND json_extract(payload, '$.seq') = 2",
            "ALTER TABLE opflow.events DISABLE TRIGGER events_append_only; UPDATE opflow.events SET payload = "
            "jsonb_set(payload::jsonb, '{user}', '\"nobody\"')::text WHERE workstation = 'ws-1' AND kind = "
            "'audit.entry' AND (payload::json->>'seq')::int = 2");
  auto broken = verifySharedAudit(*m_shared, 3);
  ASSERT_TRUE(broken);
  EXPECT_FALSE(broken->intact());
  EXPECT_EQ(broken->chains[0].workstation, "ws-1");
  EXPECT_FALSE(broken->chains[0].intact);
  EXPECT_EQ(broken->chains[0].brokenSeq, 2);
  EXPECT_THAT(broken->chains[0].reason, HasSubstr("does not hash to the hash it carries"));
  EXPECT_TRUE(broken->chains[1].intact) << "ws-2's chain is another";
}

// Faults only a server can make.
class PostgresSyncTest : public SyncFixture {
protected:
  PostgresSyncTest() : SyncFixture(SharedBackend::Postgres) {}

  std::string databaseName() const { return sharedTarget().substr(sharedTarget().rfind('=') + 1); }
};

TEST_F(PostgresSyncTest, AConnectionCutMidSyncLosesAndDoublesNothing) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(one.create());
  }
  Synchronizer synchronizer(*one.store, *m_shared, one.name, {5, 5});
  ASSERT_TRUE(synchronizer.push()) << "a first round";
  ASSERT_TRUE(one.create("Late"));
  opflow::testing::processPgServer().psql(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + databaseName() +
      "' AND pid <> pg_backend_pid()");
  auto cut = synchronizer.once();
  if (!cut) {
    EXPECT_EQ(cut.error().code, ErrorCode::Unavailable) << cut.error().describe();
  }
  auto again = synchronizer.once();
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(one.scalar("SELECT count(*) FROM outbox WHERE pushed_at IS NULL"), 0);
  sync(two);
  EXPECT_EQ(two.scalar("SELECT count(*) FROM orders"), 21);
  EXPECT_EQ(std::stoll(opflow::testing::processPgServer().psql(
                "SELECT count(*) - count(DISTINCT id) FROM opflow.events", databaseName())),
            0)
      << "every event once";
  EXPECT_TRUE(two.verify().intact);
}

TEST_F(PostgresSyncTest, APushWaitsForAnotherHeldOpenAndTheFeedSkipsNothing) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  ASSERT_TRUE(one.create());
  // Another workstation's push holds the feed for a second and a half.
  std::thread holder([this] {
    opflow::testing::processPgServer().psql(
        "BEGIN; SELECT pg_advisory_xact_lock(7046820102); SELECT pg_sleep(1.5); COMMIT;", databaseName());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto started = std::chrono::steady_clock::now();
  SyncReport pushed = sync(one);
  const auto waited = std::chrono::steady_clock::now() - started;
  holder.join();
  EXPECT_GT(pushed.pushed, 0);
  EXPECT_GT(waited, std::chrono::milliseconds(800)) << "it waited for the feed, not around it";
  sync(two);
  EXPECT_EQ(two.scalar("SELECT count(*) FROM orders"), 1);
}

TEST_P(SyncTest, ManyBatchesAndPagesKeepTheOrder) {
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(one.create("Customer " + std::to_string(i)));
  }
  const std::int64_t waiting = one.scalar("SELECT count(*) FROM outbox WHERE pushed_at IS NULL");
  const SyncReport pushed = sync(one, {7, 5});
  EXPECT_EQ(pushed.pushed, waiting);
  const SyncReport pulled = sync(two, {7, 5});
  EXPECT_EQ(pulled.pulled, 30);
  EXPECT_EQ(two.scalar("SELECT count(*) FROM orders"), 30);
  EXPECT_TRUE(two.verify().intact);
}

INSTANTIATE_TEST_SUITE_P(Backends, SyncTest, ::testing::Values(SharedBackend::SqliteFile, SharedBackend::Postgres),
                         backendName);

} // namespace
} // namespace opflow::sync::test
