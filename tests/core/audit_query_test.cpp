#include "AuditTestSupport.h"

#include <algorithm>
#include <set>

namespace opflow::store::test {
namespace {

constexpr std::int64_t kBaseMs = 1795428000000; // 2026-11-23T10:00:00Z

class AuditQueryTest : public AuditFixture {
protected:
  void SetUp() override {
    AuditFixture::SetUp();
    const char* users[] = {"ana", "ben", "cy"};
    const char* actions[] = {"order.created", "order.status_changed", "run.started", "run.step"};
    // 60 entries, two per second (so times tie), users, actions, orders and correlations mixed.
    m_entries = appendMany(60, [&](int i) {
      AuditEntry entry = sample(actions[i % 4], users[i % 3], i % 5 == 4 ? "" : "ORD-00000" + std::to_string(i % 5));
      entry.correlationId = "corr-" + std::to_string(i / 10);
      entry.atMs = kBaseMs + (i / 2) * 1000;
      if (i % 7 == 0) {
        entry.before = nullptr;
      }
      return entry;
    });
  }

  std::vector<std::int64_t> expected(const std::function<bool(const AuditEntry&)>& match) const {
    std::vector<std::int64_t> seqs;
    for (const AuditEntry& entry : m_entries) {
      if (match(entry)) {
        seqs.push_back(entry.seq);
      }
    }
    return seqs;
  }

  std::vector<std::int64_t> seqsOf(AuditQuery query) {
    auto db = reader();
    auto entries = queryAudit(*db, query);
    EXPECT_TRUE(entries) << (entries ? "" : entries.error().describe());
    std::vector<std::int64_t> seqs;
    if (entries) {
      for (const AuditEntry& entry : *entries) {
        seqs.push_back(entry.seq);
      }
    }
    return seqs;
  }

  // The seqs of every page of `query`, following its keyset (afterSeq, or beforeSeq when
  // newest first); `pages` counts the pages that were not empty.
  std::vector<std::int64_t> walkPages(AuditQuery query, int& pages) {
    std::vector<std::int64_t> all;
    for (pages = 0; pages < 100; ++pages) {
      std::vector<std::int64_t> page = seqsOf(query);
      EXPECT_LE(page.size(), query.limit);
      if (page.empty()) {
        break;
      }
      all.insert(all.end(), page.begin(), page.end());
      (query.newestFirst ? query.beforeSeq : query.afterSeq) = page.back();
    }
    return all;
  }

  std::vector<AuditEntry> m_entries;
};

TEST_F(AuditQueryTest, WithoutFiltersReturnsEveryEntryInChainOrderWithAllFields) {
  auto db = reader();
  auto entries = queryAudit(*db, {});
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), m_entries.size());
  for (std::size_t i = 0; i < m_entries.size(); ++i) {
    EXPECT_EQ(toJson((*entries)[i]), toJson(m_entries[i])) << "entry " << i;
  }
}

TEST_F(AuditQueryTest, EachFilterReturnsExactlyTheMatchingEntries) {
  for (const char* user : {"ana", "ben", "cy", "nobody"}) {
    AuditQuery query;
    query.user = user;
    auto want = expected([&](const AuditEntry& e) { return e.user == user; });
    EXPECT_EQ(seqsOf(query), want) << "user " << user;
    EXPECT_EQ(want.empty(), std::string(user) == "nobody");
  }
  for (const char* action : {"order.created", "order.status_changed", "run.started", "run.step"}) {
    AuditQuery query;
    query.action = action;
    EXPECT_EQ(seqsOf(query), expected([&](const AuditEntry& e) { return e.action == action; })) << action;
  }
  for (const char* order : {"ORD-000000", "ORD-000003", "ORD-999999"}) {
    AuditQuery query;
    query.orderNumber = order;
    EXPECT_EQ(seqsOf(query), expected([&](const AuditEntry& e) { return e.orderNumber == order; })) << order;
  }
  for (const char* correlation : {"corr-0", "corr-5", "corr-9"}) {
    AuditQuery query;
    query.correlationId = correlation;
    EXPECT_EQ(seqsOf(query), expected([&](const AuditEntry& e) { return e.correlationId == correlation; }))
        << correlation;
  }
}

TEST_F(AuditQueryTest, FiltersCombine) {
  AuditQuery query;
  query.user = "ana";
  query.action = "order.created";
  query.sinceMs = kBaseMs + 5000;
  auto want = expected([&](const AuditEntry& e) {
    return e.user == "ana" && e.action == "order.created" && e.atMs >= kBaseMs + 5000;
  });
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(seqsOf(query), want);
}

TEST_F(AuditQueryTest, TimeRangeIncludesSinceAndExcludesUntilEvenWhenTimesTie) {
  for (auto [since, until] : {std::pair{kBaseMs + 3000, kBaseMs + 7000}, std::pair{kBaseMs, kBaseMs + 1000},
                              std::pair{kBaseMs + 3500, kBaseMs + 3600}, std::pair{kBaseMs - 50000, kBaseMs + 500},
                              std::pair{kBaseMs + 29000, kBaseMs + 99000}, std::pair{kBaseMs + 40000, kBaseMs + 99000},
                              std::pair{kBaseMs + 9000, kBaseMs + 3000}}) {
    AuditQuery query;
    query.sinceMs = since;
    query.untilMs = until;
    EXPECT_EQ(seqsOf(query), expected([&](const AuditEntry& e) { return e.atMs >= since && e.atMs < until; }))
        << since - kBaseMs << ".." << until - kBaseMs;
  }
  AuditQuery onlySince;
  onlySince.sinceMs = kBaseMs + 28000;
  EXPECT_EQ(seqsOf(onlySince), expected([](const AuditEntry& e) { return e.atMs >= kBaseMs + 28000; }));
  AuditQuery onlyUntil;
  onlyUntil.untilMs = kBaseMs + 2000;
  EXPECT_EQ(seqsOf(onlyUntil), (std::vector<std::int64_t>{1, 2, 3, 4}));
}

TEST_F(AuditQueryTest, KeysetPagesCoverEveryMatchOnceInOrder) {
  for (const char* user : {"", "ben"}) {
    AuditQuery query;
    query.user = user;
    query.untilMs = kBaseMs + 25000;
    query.limit = 7;
    int pages = 0;
    std::vector<std::int64_t> all = walkPages(query, pages);
    EXPECT_EQ(all, expected([&](const AuditEntry& e) {
                return (*user == '\0' || e.user == user) && e.atMs < kBaseMs + 25000;
              }))
        << user;
    EXPECT_GT(pages, 1);
  }
}

TEST_F(AuditQueryTest, NewestFirstPagesByBeforeSeqCoverEveryMatchOnceBackwards) {
  for (const char* user : {"", "ben"}) {
    AuditQuery query;
    query.user = user;
    query.newestFirst = true;
    query.limit = 7;
    int pages = 0;
    std::vector<std::int64_t> all = walkPages(query, pages);
    std::vector<std::int64_t> want = expected([&](const AuditEntry& e) { return *user == '\0' || e.user == user; });
    std::reverse(want.begin(), want.end());
    EXPECT_EQ(all, want) << user;
    EXPECT_GT(pages, 1);
  }
}

TEST_F(AuditQueryTest, NewestFirstKeepsFiltersAndTimeRanges) {
  AuditQuery query;
  query.newestFirst = true;
  query.user = "ben";
  query.sinceMs = kBaseMs + 5000;
  query.untilMs = kBaseMs + 20000;
  std::vector<std::int64_t> want = expected([](const AuditEntry& e) {
    return e.user == "ben" && e.atMs >= kBaseMs + 5000 && e.atMs < kBaseMs + 20000;
  });
  std::reverse(want.begin(), want.end());
  ASSERT_GT(want.size(), 3u);
  EXPECT_EQ(seqsOf(query), want);
  query.beforeSeq = want[1];
  EXPECT_EQ(seqsOf(query), std::vector<std::int64_t>(want.begin() + 2, want.end()));
}

TEST_F(AuditQueryTest, LimitZeroMeansEveryEntry) {
  AuditQuery query;
  query.limit = 0;
  EXPECT_EQ(seqsOf(query).size(), m_entries.size());
  query.limit = 5;
  EXPECT_EQ(seqsOf(query), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
}

// Runs every query shape and asks SQLite how it planned each statement the query ran:
// every one must search an index or the primary key (no full scan) and never sort.
TEST_F(AuditQueryTest, EveryFilterIsServedByAnIndexWithoutSorting) {
  auto db = reader();
  std::set<std::string> statements;
  auto trace = [](unsigned, void* context, void* statement, void*) -> int {
    static_cast<std::set<std::string>*>(context)->insert(sqlite3_sql(static_cast<sqlite3_stmt*>(statement)));
    return 0;
  };
  sqlite3_trace_v2(db->handle(), SQLITE_TRACE_STMT, trace, &statements);
  for (int mask = 0; mask < 128; ++mask) {
    AuditQuery query;
    query.newestFirst = (mask & 64) != 0;
    query.beforeSeq = query.newestFirst ? 50 : 0;
    query.user = mask & 1 ? "ana" : "";
    query.action = mask & 2 ? "run.started" : "";
    query.orderNumber = mask & 4 ? "ORD-000001" : "";
    query.correlationId = mask & 8 ? "corr-1" : "";
    if (mask & 16) {
      query.sinceMs = kBaseMs + 2000;
    }
    if (mask & 32) {
      query.untilMs = kBaseMs + 20000;
    }
    query.afterSeq = query.newestFirst ? 0 : 3;
    query.limit = 10;
    ASSERT_TRUE(queryAudit(*db, query));
  }
  sqlite3_trace_v2(db->handle(), 0, nullptr, nullptr);
  EXPECT_GE(statements.size(), 33u);

  for (const std::string& sql : statements) {
    auto plan = db->prepareUncached("EXPLAIN QUERY PLAN " + sql);
    ASSERT_TRUE(plan) << sql;
    std::string details;
    while (*(*plan)->step()) {
      details += (*plan)->text(3) + "; ";
    }
    EXPECT_EQ(details.find("SCAN"), std::string::npos) << sql << "\n  " << details;
    EXPECT_EQ(details.find("TEMP B-TREE"), std::string::npos) << sql << "\n  " << details;
    EXPECT_NE(details.find("SEARCH audit USING"), std::string::npos) << sql << "\n  " << details;
    int filters = 0;
    const char* onlyIndex = nullptr;
    for (auto [column, index] : {std::pair{" user = ?", "audit_by_user"}, std::pair{" action = ?", "audit_by_action"},
                                 std::pair{" order_number = ?", "audit_by_order"},
                                 std::pair{" correlation_id = ?", "audit_by_correlation"}}) {
      if (sql.find(column) != std::string::npos) {
        ++filters;
        onlyIndex = index;
      }
    }
    if (filters == 1) {
      EXPECT_NE(details.find(onlyIndex), std::string::npos) << sql << "\n  " << details;
    }
  }
}

} // namespace
} // namespace opflow::store::test
