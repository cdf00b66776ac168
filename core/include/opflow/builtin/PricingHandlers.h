// The pricing handler: the long-running price calculation of an order.
//
//   pricing.calculate  with {"order": the order number (for messages),
//                            "material": "PLA"|"PETG"|"ABS"|"RESIN"|"NYLON"|"STEEL" (any case),
//                            "volume_cm3": NUMBER > 0, "quantity": INTEGER >= 1 (default 1),
//                            "rush": BOOLEAN (default false), "timeout_s": NUMBER > 0 (default 1800)}
//     runs the pricing job on the PricingService (2-3 minutes for a typical part at speed
//     factor 1, up to 25 for a huge one), reporting progress per phase, and writes
//     "price" = {"cents", "currency", "breakdown": [{"item", "label", "cents"}], "duration_ms"}
//     (duration_ms: the calculation's wall-clock time). Exits: the node's go_to when
//     priced; "failed" when the pricing worker failed transiently (retry it), with
//     "pricing_error" = the reason; "timeout" when the job ran past timeout_s (scaled by
//     the speed factor like the job), with "pricing_error" saying so. Cancelling the run
//     stops the job at once (the handler then fails, and the engine records the cancel).
//     Bad arguments are a handler error. A pure computation: safe to re-run after a crash.
// Without a PricingService the handler prices with a default one (speed factor 1, no failures).
// Thread-safety: the handler is stateless; the PricingService must outlive the registry's use.
#pragma once

#include "opflow/engine/HandlerRegistry.h"
#include "opflow/pricing/PricingService.h"

namespace opflow::builtin {

inline constexpr double kDefaultPricingTimeoutS = 1800.0;

[[nodiscard]] Status registerPricingHandlers(engine::HandlerRegistry& registry, pricing::PricingService* service);

} // namespace opflow::builtin
