// The shop's audit log read from one workstation: every workstation's entries, filtered
// through the indexes and paged by keyset, newest first, with the audit log's reading
// rules; offline says so.
#include "SyncTestSupport.h"

#include "opflow/store/AuditReader.h"
#include "opflow/store/UserStore.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

namespace opflow::sync::test {
namespace {

using namespace std::chrono_literals;

class ShopAuditTest : public SyncFixture, public ::testing::WithParamInterface<SharedBackend> {
protected:
  ShopAuditTest() : SyncFixture(GetParam()) {}

  // `user` signed in at `ws` (the audit log is read by who is signed in).
  static store::AuditReaderIdentity signedIn(Workstation& ws, const std::string& user, const std::string& password) {
    store::UserStore users(*ws.store);
    auto session = users.login({user, password}, ws.name);
    EXPECT_TRUE(session) << session.error().describe();
    return {user, ws.name};
  }
};

TEST_P(ShopAuditTest, EveryWorkstationsEntriesOfAnOrderNewestFirstAPageAtATime) {
  addShopAdmin();
  Workstation one = workstation("ws-1");
  Workstation two = workstation("ws-2");
  const store::Order order = orderBothKnow(one, two);
  ASSERT_TRUE(two.orders->transition(order.number, domain::OrderStatus::Cancelled, two.actor("tom")));
  sync(two);
  sync(one);

  store::UserStore users(*one.store);
  store::AuditReader reader(*one.store, users);
  const auto ada = signedIn(one, "ada", "ada-password");
  ShopAuditQuery query;
  query.filter.orderNumber = order.number;
  std::transform(query.filter.orderNumber.begin(), query.filter.orderNumber.end(), query.filter.orderNumber.begin(),
                 ::tolower);
  auto entries = readShopAudit(*one.store, reader, ada, query, 2s);
  ASSERT_TRUE(entries) << entries.error().describe();
  std::set<std::string> chains;
  for (const ShopAuditEntry& shop : *entries) {
    chains.insert(shop.chain);
    EXPECT_EQ(shop.entry.orderNumber, order.number);
  }
  EXPECT_EQ(chains, (std::set<std::string>{"ws-1", "ws-2"}));
  EXPECT_TRUE(std::is_sorted(entries->begin(), entries->end(), [](const ShopAuditEntry& a, const ShopAuditEntry& b) {
    return a.position > b.position;
  }));
  EXPECT_EQ(entries->front().chain, "ws-1") << "the newest: ws-1 took ws-2's cancel";
  const auto cancelled = std::find_if(entries->begin(), entries->end(), [](const ShopAuditEntry& shop) {
    return shop.chain == "ws-2" && shop.entry.user == "tom";
  });
  ASSERT_NE(cancelled, entries->end());

  // A page at a time, by keyset.
  query.limit = 1;
  std::vector<std::int64_t> walked;
  for (query.beforePosition = 0;;) {
    auto page = readShopAudit(*one.store, reader, ada, query, 2s);
    ASSERT_TRUE(page) << page.error().describe();
    if (page->empty()) {
      break;
    }
    walked.push_back(page->front().position);
    query.beforePosition = page->front().position;
  }
  EXPECT_EQ(walked.size(), entries->size());

  // By correlation id: the cancel and what it caused, whichever workstation wrote it.
  ShopAuditQuery byCorrelation;
  byCorrelation.filter.correlationId = cancelled->entry.correlationId;
  auto correlated = readShopAudit(*one.store, reader, ada, byCorrelation, 2s);
  ASSERT_TRUE(correlated) << correlated.error().describe();
  EXPECT_FALSE(correlated->empty());
  for (const ShopAuditEntry& shop : *correlated) {
    EXPECT_EQ(shop.entry.correlationId, cancelled->entry.correlationId);
  }

  // Exported whole, every entry a row with its chain's workstation (an admin may not
  // export: a supervisor's task).
  std::ostringstream refused;
  EXPECT_EQ(exportShopAudit(*one.store, reader, ada, {}, refused, 2s).error().code,
            ErrorCode::PermissionDenied);

  auto verified = verifyShopAudit(*one.store, reader, ada, 2s);
  ASSERT_TRUE(verified) << verified.error().describe();
  EXPECT_TRUE(verified->intact());
}

TEST_P(ShopAuditTest, AnOperatorIsRefusedAndTheRefusalIsAudited) {
  addShopUser("otto", "operator", 4);
  Workstation one = workstation("ws-1");
  store::UserStore users(*one.store);
  store::AuditReader reader(*one.store, users);
  const auto operatorOtto = signedIn(one, "otto", "otto-password");
  auto entries = readShopAudit(*one.store, reader, operatorOtto, {}, 2s);
  ASSERT_FALSE(entries);
  EXPECT_EQ(entries.error().code, ErrorCode::PermissionDenied);
  EXPECT_EQ(one.scalar("SELECT count(*) FROM audit WHERE action = 'user.refused'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, ShopAuditTest,
                         ::testing::Values(SharedBackend::SqliteFile, SharedBackend::Postgres), backendName);

class ShopAuditFileTest : public SyncFixture {};

TEST_F(ShopAuditFileTest, AShopOutOfReachIsUnavailableAndALoneDatabaseHasNone) {
  addShopAdmin();
  Workstation one = workstation("ws-1");
  store::UserStore users(*one.store);
  store::AuditReader reader(*one.store, users);
  ASSERT_TRUE(users.login({"ada", "ada-password"}, "ws-1"));
  std::filesystem::rename(sharedTarget(), sharedTarget() + ".away");
  auto away = readShopAudit(*one.store, reader, {"ada", "ws-1"}, {}, 2s);
  ASSERT_FALSE(away);
  EXPECT_EQ(away.error().code, ErrorCode::Unavailable);

  TempDir dir;
  auto lone = store::LocalStore::open({dir.file("lone.db"), true});
  ASSERT_TRUE(lone);
  store::UserStore loneUsers(**lone);
  store::AuditReader loneReader(**lone, loneUsers);
  const store::Requester bootstrap{std::nullopt, "ws-1", ""};
  ASSERT_TRUE(loneUsers.add({"ada", domain::Role::Admin, "ada-password-long"}, bootstrap));
  ASSERT_TRUE(loneUsers.login({"ada", "ada-password-long"}, "ws-1"));
  auto none = readShopAudit(**lone, loneReader, {"ada", "ws-1"}, {}, 2s);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::NotFound);
}

} // namespace
} // namespace opflow::sync::test
