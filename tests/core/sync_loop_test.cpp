// SyncLoop: a workstation kept in step on a thread of its own says what it does (state,
// rounds, the orders a pull changed), goes offline and back without a fault, and waits
// for a join it has not had yet.
#include "SyncTestSupport.h"

#include "opflow/sync/SyncLoop.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <thread>

namespace opflow::sync::test {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;

// Keeps what the loop says, for the test thread to wait on.
class Heard final : public SyncListener {
public:
  void onSyncStatus(const SyncStatus& status) override {
    std::lock_guard lock(m_mutex);
    m_statuses.push_back(status);
  }
  void onSyncRound(const SyncRound& round) override {
    std::lock_guard lock(m_mutex);
    m_rounds.push_back(round);
  }

  // Waits at most 10 s until `holds` is true of what was heard.
  bool waitFor(const std::function<bool(const std::vector<SyncStatus>&, const std::vector<SyncRound>&)>& holds) {
    for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
      {
        std::lock_guard lock(m_mutex);
        if (holds(m_statuses, m_rounds)) {
          return true;
        }
      }
      std::this_thread::sleep_for(5ms);
    }
    return false;
  }
  [[nodiscard]] SyncStatus last() {
    std::lock_guard lock(m_mutex);
    return m_statuses.empty() ? SyncStatus{} : m_statuses.back();
  }

private:
  std::mutex m_mutex;
  std::vector<SyncStatus> m_statuses;
  std::vector<SyncRound> m_rounds;
};

bool online(const std::vector<SyncStatus>& statuses, const std::vector<SyncRound>&) {
  return !statuses.empty() && statuses.back().link == SyncLink::Online;
}

class SyncLoopTest : public SyncTest {};

TEST_P(SyncLoopTest, AnotherWorkstationsChangeArrivesNamingItsOrder) {
  Workstation here = workstation("ws-a");
  Workstation there = workstation("ws-b");
  const store::Order order = orderBothKnow(there, here);
  Heard heard;
  SyncLoop loop(*here.store, heard);
  loop.start();
  ASSERT_TRUE(heard.waitFor(online));
  EXPECT_EQ(heard.last().workstation, "ws-a");
  EXPECT_TRUE(heard.last().lastContactMs.has_value());

  ASSERT_TRUE(there.orders->transition(order.number, domain::OrderStatus::Cancelled, there.actor()));
  sync(there);
  ASSERT_TRUE(heard.waitFor([&](const auto&, const std::vector<SyncRound>& rounds) {
    return std::any_of(rounds.begin(), rounds.end(),
                       [&](const SyncRound& round) { return round.report.ordersChanged.contains(order.number); });
  }));
  EXPECT_EQ(here.order(order.number).status, domain::OrderStatus::Cancelled);

  // A change made here goes up without being asked for.
  ASSERT_TRUE(here.create());
  ASSERT_TRUE(heard.waitFor([](const std::vector<SyncStatus>& statuses, const std::vector<SyncRound>& rounds) {
    return !rounds.empty() && rounds.back().report.pushed > 0 && statuses.back().pending == 0;
  }));
  loop.stop();
}

INSTANTIATE_TEST_SUITE_P(Backends, SyncLoopTest, ::testing::Values(SharedBackend::SqliteFile, SharedBackend::Postgres),
                         backendName);

class SyncLoopFileTest : public SyncFixture {};

TEST_F(SyncLoopFileTest, AnUnreachableShopIsOfflineUntilItIsBackAndSyncNowTriesAtOnce) {
  Workstation here = workstation("ws-a");
  const std::filesystem::path file = sharedTarget();
  const std::filesystem::path away = file.string() + ".away";
  std::filesystem::rename(file, away);
  Heard heard;
  // A first wait long enough that only syncNow() can end it within the test's patience.
  SyncLoop loop(*here.store, heard, {2000ms, 60'000ms, 60'000ms, 5000ms});
  loop.start();
  ASSERT_TRUE(heard.waitFor([](const std::vector<SyncStatus>& statuses, const auto&) {
    return !statuses.empty() && statuses.back().link == SyncLink::Offline;
  }));
  const SyncStatus offline = heard.last();
  EXPECT_TRUE(offline.offlineSinceMs.has_value());
  EXPECT_TRUE(offline.retryAtMs.has_value());
  EXPECT_FALSE(offline.lastError.empty());
  EXPECT_EQ(offline.lastErrorCorrelationId.size(), 36u);

  // Work here waits to go up, and is said to.
  ASSERT_TRUE(here.create());
  ASSERT_TRUE(heard.waitFor([](const std::vector<SyncStatus>& statuses, const auto&) {
    return statuses.back().pending > 0 && statuses.back().link == SyncLink::Offline;
  }));

  std::filesystem::rename(away, file);
  loop.syncNow();
  ASSERT_TRUE(heard.waitFor([](const std::vector<SyncStatus>& statuses, const auto&) {
    return statuses.back().link == SyncLink::Online && statuses.back().pending == 0;
  }));
  EXPECT_FALSE(heard.last().offlineSinceMs.has_value());
  EXPECT_TRUE(heard.last().lastError.empty());
}

TEST_F(SyncLoopFileTest, ADatabaseThatHasNotJoinedSaysSoAndIsLookedAtAgain) {
  TempDir dir;
  auto lone = store::LocalStore::open({dir.file("lone.db"), true});
  ASSERT_TRUE(lone);
  Heard heard;
  SyncLoop loop(**lone, heard, {2000ms, 1000ms, 60'000ms, 50ms});
  loop.start();
  ASSERT_TRUE(heard.waitFor([](const std::vector<SyncStatus>& statuses, const auto&) {
    return !statuses.empty() && statuses.back().link == SyncLink::NotJoined;
  }));
  ASSERT_TRUE(joinShared(**lone, *m_shared, sharedTarget(), "ws-late", kAdmin));
  EXPECT_TRUE(heard.waitFor(online));
  EXPECT_EQ(heard.last().workstation, "ws-late");
}

} // namespace
} // namespace opflow::sync::test
