// Newest-first audit queries (the console's audit review): descending seq order, keyset
// pages by beforeSeq that meet without a gap or a repeat, filters and time ranges kept.
#include "AuditTestSupport.h"

namespace opflow::store::test {
namespace {

constexpr std::int64_t kBaseMs = 1795428000000; // 2026-11-23T10:00:00Z

class AuditNewestFirstTest : public AuditFixture {
protected:
  void SetUp() override {
    AuditFixture::SetUp();
    // 30 entries one second apart, users ana and ben taking turns.
    m_entries = appendMany(30, [](int i) {
      AuditEntry entry = sample("run.step", i % 2 ? "ben" : "ana");
      entry.atMs = kBaseMs + i * 1000;
      return entry;
    });
  }

  std::vector<std::int64_t> seqsOf(const AuditQuery& query) {
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

  std::int64_t seqAt(int i) const { return m_entries[static_cast<std::size_t>(i)].seq; }

  std::vector<AuditEntry> m_entries;
};

TEST_F(AuditNewestFirstTest, PagesByBeforeSeqCoverTheChainBackwardsOnce) {
  AuditQuery query;
  query.newestFirst = true;
  query.limit = 7;
  std::vector<std::int64_t> all;
  while (true) {
    std::vector<std::int64_t> page = seqsOf(query);
    if (page.empty()) {
      break;
    }
    all.insert(all.end(), page.begin(), page.end());
    query.beforeSeq = page.back();
  }
  std::vector<std::int64_t> expected;
  for (int i = 29; i >= 0; --i) {
    expected.push_back(seqAt(i));
  }
  EXPECT_EQ(all, expected);
}

TEST_F(AuditNewestFirstTest, FiltersAndTimeRangesApplyInReverseToo) {
  AuditQuery query;
  query.newestFirst = true;
  query.user = "ben";
  query.sinceMs = kBaseMs + 10'000;
  query.untilMs = kBaseMs + 20'000;
  EXPECT_EQ(seqsOf(query), (std::vector<std::int64_t>{seqAt(19), seqAt(17), seqAt(15), seqAt(13), seqAt(11)}));
  query.beforeSeq = seqAt(15);
  EXPECT_EQ(seqsOf(query), (std::vector<std::int64_t>{seqAt(13), seqAt(11)}));
}

TEST_F(AuditNewestFirstTest, ChainOrderStaysTheDefault) {
  AuditQuery query;
  query.limit = 3;
  EXPECT_EQ(seqsOf(query), (std::vector<std::int64_t>{seqAt(0), seqAt(1), seqAt(2)}));
}

} // namespace
} // namespace opflow::store::test
