#include "opflow/auth/RunSigning.h"

#include "opflow/engine/RunFeeder.h"

#include <fmt/format.h>

namespace opflow::auth {

std::optional<engine::RunRecord> runAwaitingSignature(const engine::RunStore& runs, const engine::RunId& runId) {
  auto run = runs.loadRun(runId);
  if (!run || run->state != engine::RunState::Waiting) {
    return std::nullopt;
  }
  engine::RunRecord leaf = engine::waitingLeaf(runs, std::move(*run));
  if (leaf.awaitedSignal != "signature") {
    return std::nullopt;
  }
  return leaf;
}

Result<store::Signature> signForRun(engine::Engine& engine, store::SignatureStore& signatures,
                                    const engine::RunId& runId, const engine::RunRecord& signing,
                                    const store::Credentials& credentials, const std::string& workstation) {
  store::SignRequest request;
  request.user = credentials.user;
  request.password = credentials.password;
  request.meaning = signing.inputs.value("meaning", std::string());
  request.subjectType = "run";
  request.subjectId = signing.id.str();
  request.workstation = workstation;
  request.correlationId = signing.context.correlationId;
  if (const Json order = signing.inputs.value("order", Json()); order.is_string()) {
    request.orderNumber = order.get<std::string>();
  }
  auto signature = signatures.sign(request);
  if (!signature) {
    return signature.error();
  }
  engine::Actor signer{signature->signer, domain::toString(signature->role), workstation};
  Status delivered = engine.signal(runId, "signature", Json{{"signature_id", signature->id}}, signer);
  if (!delivered) {
    return makeError(delivered.error().code,
                     fmt::format("signature {} given but not delivered: {}", signature->id, delivered.error().message));
  }
  return signature;
}

} // namespace opflow::auth
