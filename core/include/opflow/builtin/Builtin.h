// The operations and handlers that ship with Opflow: the definitions in
// resources/operations/ (embedded at build time) and those declared in C++ with
// OperationBuilder, plus the C++ handlers they call.
// Thread-safety: call during start-up, before the registry and catalog are shared.
#pragma once

#include "opflow/Result.h"
#include "opflow/builtin/ShopTrail.h"
#include "opflow/engine/HandlerRegistry.h"
#include "opflow/engine/OperationCatalog.h"
#include "opflow/model/OperationDefinition.h"

#include <vector>

namespace opflow::store {
class OrderStore;
class SignatureStore;
}
namespace opflow::pricing {
class PricingService;
}

namespace opflow::builtin {

// What the workstation's handlers work on. Every handler is registered whether or not
// its service is given, so the shipped definitions validate anywhere; a handler whose
// service is missing fails with an error that says which one it needs.
struct Services {
  store::OrderStore* orders = nullptr;
  store::SignatureStore* signatures = nullptr; // signature.verify
  // pricing.calculate's worker (speed factor, failure rate); nullptr: simulated pricing
  // at speed factor 1 that never fails.
  pricing::PricingService* pricing = nullptr;
  // The order's audit trail across the shop, for reviewing and closing orders; nullptr:
  // this workstation's trail is all.
  ShopTrail* shop = nullptr;
};

// Registers every shipped handler.
[[nodiscard]] Status registerHandlers(engine::HandlerRegistry& registry, const Services& services = {});

// Every shipped definition: the C++ ones, then the embedded JSON files.
[[nodiscard]] Result<std::vector<model::OperationDefinition>> definitions();

// Adds every shipped definition to `catalog` (whose registry must hold the shipped handlers).
[[nodiscard]] Status loadDefinitions(engine::OperationCatalog& catalog);

} // namespace opflow::builtin
