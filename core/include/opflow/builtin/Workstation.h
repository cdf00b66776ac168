// Workstation: the services the shipped handlers work on, for one workstation database:
// its order, user and signature stores, its pricing worker, and the orders' audit trail
// across the shop it may have joined, configured from the database's settings (pricing.speed_factor, pricing.failure_rate: the demo shop prices
// in seconds). services() binds them for registerHandlers. The CLI's engine session, the
// demo shop and the console open one per database.
// Thread-safety: the services are as thread-safe as each of them (all: any thread).
#pragma once

#include "opflow/builtin/Builtin.h"
#include "opflow/engine/Clock.h"
#include "opflow/pricing/PricingService.h"
#include "opflow/store/OrderStore.h"
#include "opflow/store/SignatureStore.h"
#include "opflow/store/UserStore.h"
#include "opflow/sync/ShopOrderTrail.h"

#include <memory>

namespace opflow::builtin {

class Workstation {
public:
  // `clock` paces the pricing worker (a manual clock makes it simulated). Fails when the
  // settings cannot be read or hold something that is not a number.
  [[nodiscard]] static Result<std::unique_ptr<Workstation>> open(store::LocalStore& store,
                                                                 const engine::Clock& clock = engine::systemClock());

  [[nodiscard]] Services services() { return {&m_orders, &m_signatures, m_pricing.get(), &m_shop}; }
  [[nodiscard]] store::OrderStore& orders() { return m_orders; }
  [[nodiscard]] store::UserStore& users() { return m_users; }
  [[nodiscard]] store::SignatureStore& signatures() { return m_signatures; }
  [[nodiscard]] pricing::PricingService& pricing() { return *m_pricing; }

private:
  explicit Workstation(store::LocalStore& store)
      : m_orders(store), m_users(store), m_signatures(store, m_users), m_shop(store) {}

  store::OrderStore m_orders;
  store::UserStore m_users;
  store::SignatureStore m_signatures;
  std::unique_ptr<pricing::PricingService> m_pricing;
  sync::ShopOrderTrail m_shop;
};

} // namespace opflow::builtin
