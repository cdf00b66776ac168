// ShopOrderTrail: an order's audit trail across the shop, read from the shared database
// this workstation joined (opened for each question, as the shop's audit view does) and
// from what this workstation wrote that has not gone up yet. It decides whether the
// latest review of the order saw everything the shop recorded about the order since it
// shipped (builtin::ShopTrail).
// Thread-safety: any thread, several calls at once (each opens its own connection).
#pragma once

#include "opflow/builtin/ShopTrail.h"
#include "opflow/store/LocalStore.h"

#include <chrono>

namespace opflow::sync {

// How long closing an order waits for the shop's database to answer.
inline constexpr std::chrono::seconds kShopTrailConnectTimeout{5};

class ShopOrderTrail final : public builtin::ShopTrail {
public:
  explicit ShopOrderTrail(store::LocalStore& local, std::chrono::seconds connectTimeout = kShopTrailConnectTimeout)
      : m_local(local), m_connectTimeout(connectTimeout) {}

  // `order` as numbered ("ORD-000123").
  [[nodiscard]] Result<std::optional<std::int64_t>> reviewMark(const std::string& order) override;
  [[nodiscard]] Result<std::optional<builtin::ShopReviewFinding>> latestReview(
      const std::string& order, const std::string& askingCorrelationId) override;

private:
  store::LocalStore& m_local;
  std::chrono::seconds m_connectTimeout;
};

} // namespace opflow::sync
