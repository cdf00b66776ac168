// ShopTrail: an order's audit trail across the shop this workstation joined, as reviewing
// and closing the order read it. A review made at a workstation in a shop records how far
// it saw the shop's trail; closing the order asks whether the latest review saw every
// entry the shop recorded about the order since it shipped, at every workstation.
// A workstation that never joined a shop has no shop trail (nullopt): its own trail is all.
// Thread-safety: the engine's workers may call an implementation from several threads at once.
#pragma once

#include "opflow/Result.h"
#include "opflow/store/Order.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opflow::builtin {

// An entry about the order that no review has seen.
struct UnreviewedEntry {
  std::string workstation; // its chain in the shop
  std::int64_t seq = 0;    // in that chain
  std::string action;
  std::string user;
  std::int64_t atMs = 0;
};

// The latest review of an order since it shipped, at any workstation of the shop, and
// what the shop recorded about the order since it shipped that this review did not see
// (apart from reviews, sync receipts, and the entries of the review's run and of the run
// asking).
struct ShopReviewFinding {
  std::optional<store::OrderReview> review;
  std::string reviewedAt; // the review's workstation
  std::vector<UnreviewedEntry> unseen;
};

class ShopTrail {
public:
  virtual ~ShopTrail() = default;
  ShopTrail(const ShopTrail&) = delete;
  ShopTrail& operator=(const ShopTrail&) = delete;

  // The feed position of the newest entry the shop holds about `order` (0: none yet): how
  // far a review recorded now has seen. Unavailable when the shop cannot be reached.
  [[nodiscard]] virtual Result<std::optional<std::int64_t>> reviewMark(const std::string& order) = 0;
  // What closing `order` needs to know; `askingCorrelationId` is the run that asks (its
  // own entries are not the trail under review). Unavailable when the shop cannot be
  // reached.
  [[nodiscard]] virtual Result<std::optional<ShopReviewFinding>> latestReview(const std::string& order,
                                                                              const std::string& askingCorrelationId) = 0;

protected:
  ShopTrail() = default;
};

} // namespace opflow::builtin
