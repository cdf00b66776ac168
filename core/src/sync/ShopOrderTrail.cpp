#include "opflow/sync/ShopOrderTrail.h"

#include "opflow/store/AuditLog.h"
#include "opflow/sync/SyncState.h"

#include <algorithm>
#include <set>

namespace opflow::sync {

namespace {

constexpr std::size_t kPage = 500;

// One entry of an order's trail: whose chain holds it and where the shop's feed took it
// (0: it has not gone up from this workstation yet).
struct TrailEntry {
  std::string chain;
  std::int64_t position = 0;
  store::AuditEntry entry;
};

// Every entry about `order`, in the order the shop took them, then this workstation's
// entries that have not gone up yet (a chain goes up in order, so they are the ones after
// the newest the shop holds).
Result<std::vector<TrailEntry>> orderTrail(store::LocalStore& local, JoinedShop& shop, const std::string& order) {
  std::vector<TrailEntry> trail;
  ShopAuditQuery query;
  query.filter.orderNumber = order;
  query.limit = kPage;
  while (true) {
    auto page = shop.shared->auditEntries(query);
    if (!page) {
      return shopReadError(page.error());
    }
    for (ShopAuditEntry& found : *page) {
      trail.push_back({std::move(found.chain), found.position, std::move(found.entry)});
    }
    if (page->size() < kPage) {
      break;
    }
    query.beforePosition = trail.back().position;
  }
  std::reverse(trail.begin(), trail.end());
  std::set<std::string> wentUp;
  for (const TrailEntry& item : trail) {
    if (item.chain == shop.workstation) {
      wentUp.insert(item.entry.id);
    }
  }
  auto db = local.readers().acquire();
  if (!db) {
    return db.error();
  }
  store::AuditQuery mine;
  mine.orderNumber = order;
  mine.newestFirst = true;
  mine.limit = 0;
  auto entries = store::queryAudit(**db, mine);
  if (!entries) {
    return entries.error();
  }
  const auto firstUp = std::find_if(entries->begin(), entries->end(),
                                    [&](const store::AuditEntry& entry) { return wentUp.contains(entry.id); });
  std::vector<store::AuditEntry> waiting(entries->begin(), firstUp);
  for (auto it = waiting.rbegin(); it != waiting.rend(); ++it) {
    trail.push_back({shop.workstation, 0, std::move(*it)});
  }
  return trail;
}

bool isShipping(const store::AuditEntry& entry) {
  return entry.action == "order.status_changed" && entry.after.is_object() &&
         entry.after.value("status", std::string()) == "SHIPPED";
}

bool isReview(const store::AuditEntry& entry) { return entry.action == "order.audit_reviewed"; }

// A workstation's note that it took another's change: the change has its own entry.
bool isSyncReceipt(const store::AuditEntry& entry) { return entry.action.ends_with(".pulled"); }

} // namespace

Result<std::optional<std::int64_t>> ShopOrderTrail::reviewMark(const std::string& order) {
  auto shop = openJoinedShop(m_local, m_connectTimeout);
  if (!shop) {
    return shop.error();
  }
  if (!*shop) {
    return std::optional<std::int64_t>();
  }
  ShopAuditQuery newest;
  newest.filter.orderNumber = order;
  newest.limit = 1;
  auto entries = (*shop)->shared->auditEntries(newest);
  if (!entries) {
    return shopReadError(entries.error());
  }
  return std::optional<std::int64_t>(entries->empty() ? 0 : entries->front().position);
}

Result<std::optional<builtin::ShopReviewFinding>> ShopOrderTrail::latestReview(const std::string& order,
                                                                                const std::string& askingCorrelationId) {
  auto shop = openJoinedShop(m_local, m_connectTimeout);
  if (!shop) {
    return shop.error();
  }
  if (!*shop) {
    return std::optional<builtin::ShopReviewFinding>();
  }
  auto trail = orderTrail(m_local, **shop, order);
  if (!trail) {
    return trail.error();
  }
  // Since the order last shipped (an order that never shipped in the shop: its whole trail).
  const auto shipped = std::find_if(trail->rbegin(), trail->rend(),
                                    [](const TrailEntry& item) { return isShipping(item.entry); });
  const auto since = shipped == trail->rend() ? trail->begin() : std::prev(shipped.base());
  const auto latest = std::find_if(std::make_reverse_iterator(trail->end()), std::make_reverse_iterator(since),
                                   [](const TrailEntry& item) { return isReview(item.entry); });
  builtin::ShopReviewFinding finding;
  if (latest == std::make_reverse_iterator(since)) {
    return std::optional<builtin::ShopReviewFinding>(std::move(finding));
  }
  const TrailEntry& reviewEntry = *latest;
  const store::OrderReview review = store::reviewFromAudit(reviewEntry.entry.user, reviewEntry.entry.role,
                                                           reviewEntry.entry.atMs, reviewEntry.entry.seq,
                                                           reviewEntry.entry.after);
  const auto seen = [&](const TrailEntry& item) {
    const bool inShopThen = item.position != 0 && review.shopPosition && item.position <= *review.shopPosition;
    const bool inReviewersTrail = item.chain == reviewEntry.chain && item.entry.seq <= review.throughSeq;
    return inShopThen || inReviewersTrail;
  };
  const auto underReview = [&](const TrailEntry& item) {
    const std::string& correlation = item.entry.correlationId;
    const bool ofTheseRuns = !correlation.empty() && (correlation == reviewEntry.entry.correlationId ||
                                                      correlation == askingCorrelationId);
    return !isReview(item.entry) && !isSyncReceipt(item.entry) && !ofTheseRuns;
  };
  for (auto it = since; it != trail->end(); ++it) {
    if (underReview(*it) && !seen(*it)) {
      finding.unseen.push_back({it->chain, it->entry.seq, it->entry.action, it->entry.user, it->entry.atMs});
    }
  }
  finding.review = review;
  finding.reviewedAt = reviewEntry.chain;
  return std::optional<builtin::ShopReviewFinding>(std::move(finding));
}

} // namespace opflow::sync
