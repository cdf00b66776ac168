// The C++ handlers of the shipped operations. Each is a stateless function of the run's
// data and its `with` arguments; it writes only through HandlerEffects.
#include "opflow/builtin/Builtin.h"
#include "opflow/builtin/OrderHandlers.h"
#include "opflow/builtin/PricingHandlers.h"
#include "opflow/builtin/ShopHandlers.h"
#include "opflow/builtin/SignatureHandlers.h"

#include <cmath>

namespace opflow::builtin {

namespace {

using engine::HandlerEffects;
using engine::HandlerInput;
using engine::HandlerResult;
using engine::HandlerSpec;

std::string text(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

HandlerResult authorise(const HandlerInput& in, HandlerEffects& fx) {
  bool restricted = in.args.value("restricted", false);
  bool allowed = !restricted || in.context.role != "operator";
  fx.set("authorised_by", in.context.role);
  return std::string(allowed ? "" : "denied");
}

HandlerResult mergeData(const HandlerInput& in, HandlerEffects& fx) {
  std::string document = text(in.args.value("document", Json("document")));
  fx.set("merged_name", document + "-" + in.context.user);
  const Json* source = &in.data;
  bool cached = source->contains("document") && (*source)["document"].value("cached", false);
  fx.set("cached_pdf", cached);
  return std::string();
}

HandlerResult generatePdf(const HandlerInput& in, HandlerEffects& fx) {
  fx.progress(0.5, "rendering pages");
  fx.set("filename", text(in.args.value("source", Json("document"))) + ".pdf");
  fx.progress(1.0, "PDF ready");
  return std::string();
}

HandlerResult convertForViewer(const HandlerInput& in, HandlerEffects& fx) {
  fx.set("url", "/viewer/" + text(in.args.value("viewer", Json("pdf"))) + "/" + text(in.args.value("document", Json(""))));
  return std::string();
}

HandlerResult quote(const HandlerInput& in, HandlerEffects& fx) {
  double amount = in.args.value("amount", 0.0);
  double discount = in.args.value("discount", 0.0);
  double factor = in.args.value("rush", false) ? 1.5 : 1.0;
  double price = std::round(amount * (1.0 - discount) * factor * 100.0) / 100.0;
  fx.set("price", price);
  return std::string(amount >= 1000 ? "needs_review" : "");
}

HandlerResult sendMessage(const HandlerInput& in, HandlerEffects& fx) {
  fx.set("delivered", true);
  fx.set("sent_to", text(in.args.value("customer", Json(""))));
  return std::string();
}

} // namespace

Status registerHandlers(engine::HandlerRegistry& registry, const Services& services) {
  std::vector<HandlerSpec> specs = {
      {"document.authorise", {"denied"}, true, "Checks that the user may download the document.", authorise},
      {"document.merge_data", {}, true, "Merges account data into a dynamic document.", mergeData},
      {"document.generate_pdf", {}, true, "Renders a document to PDF.", generatePdf},
      {"document.convert_for_viewer", {}, true, "Converts a document for a viewer and gives its URL.", convertForViewer},
      {"demo.quote", {"needs_review"}, true, "Prices an order; large orders need a review.", quote},
      {"demo.send_message", {}, false, "Sends the customer a message (not safe to repeat).", sendMessage},
  };
  for (HandlerSpec& spec : specs) {
    if (Status added = registry.add(std::move(spec)); !added) {
      return added;
    }
  }
  if (Status added = registerShopHandlers(registry); !added) {
    return added;
  }
  if (Status added = registerOrderHandlers(registry, services.orders, services.shop); !added) {
    return added;
  }
  if (Status added = registerSignatureHandlers(registry, services.signatures); !added) {
    return added;
  }
  return registerPricingHandlers(registry, services.pricing);
}

} // namespace opflow::builtin
