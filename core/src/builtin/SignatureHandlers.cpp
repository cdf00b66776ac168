#include "opflow/builtin/SignatureHandlers.h"

#include <fmt/format.h>

namespace opflow::builtin {

namespace {

using engine::HandlerEffects;
using engine::HandlerInput;
using engine::HandlerResult;

HandlerResult verify(store::SignatureStore& signatures, const HandlerInput& in, HandlerEffects& fx) {
  const Json meaning = in.args.value("meaning", Json());
  if (!meaning.is_string() || meaning.get<std::string>().empty()) {
    return makeError(ErrorCode::InvalidArgument,
                     "signature.verify needs `with.meaning`: what the signature means (text)");
  }
  const Json roles = in.args.value("roles", Json());
  if (!roles.is_array() || roles.empty()) {
    return makeError(ErrorCode::InvalidArgument,
                     "signature.verify needs `with.roles`: the roles whose signature counts (a list of names)");
  }
  store::SignatureUse use;
  use.subjectType = "run";
  use.subjectId = in.context.runId.str();
  use.meaning = meaning.get<std::string>();
  for (const Json& role : roles) {
    auto parsed = role.is_string() ? domain::parseRole(role.get<std::string>())
                                   : Result<domain::Role>(makeError(ErrorCode::InvalidArgument,
                                                                    "a role is a name, not " + role.dump()));
    if (!parsed) {
      return makeError(ErrorCode::InvalidArgument,
                       fmt::format("signature.verify `with.roles`: {}", parsed.error().message));
    }
    use.roles.emplace_back(domain::toString(*parsed));
  }
  use.user = in.context.user;
  use.role = in.context.role;
  use.workstation = in.context.workstation;
  use.correlationId = in.context.correlationId;
  if (const Json order = in.args.value("order", Json()); order.is_string()) {
    use.orderNumber = order.get<std::string>();
  }
  const Json offered = in.args.value("signature", Json());
  std::string id;
  if (offered.is_object() && offered.contains("signature_id") && offered["signature_id"].is_string()) {
    id = offered["signature_id"].get<std::string>();
  }
  auto checked = signatures.check(id, use);
  if (!checked) {
    if (checked.error().code != ErrorCode::PermissionDenied) {
      return checked.error();
    }
    fx.set("signature_refusal", checked.error().message);
    return std::string("refused");
  }
  fx.set("signature", checked->toJson());
  return std::string();
}

} // namespace

Status registerSignatureHandlers(engine::HandlerRegistry& registry, store::SignatureStore* signatures) {
  return registry.add(
      {"signature.verify",
       {"refused"},
       true,
       "Checks an electronic signature given on this run (meaning, signer's role, signer enabled); \"refused\" "
       "otherwise.",
       [signatures](const HandlerInput& in, HandlerEffects& fx) -> HandlerResult {
         if (!signatures) {
           return makeError(ErrorCode::NotFound,
                            "signature.verify needs a workstation database (run with --db or $OPFLOW_DB)");
         }
         return verify(*signatures, in, fx);
       }});
}

} // namespace opflow::builtin
