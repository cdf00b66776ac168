// The signature handler: how a flowchart checks an electronic signature it was given.
//
//   signature.verify   with {"signature": {"signature_id": ID}, "meaning": TEXT,
//                            "roles": [ROLE, ...], "order": NUMBER (optional)}
//     checks through SignatureStore::check that the signature exists, was given on this
//     run (ctx.run_id), means `meaning`, comes from one of `roles`, and that its signer is
//     still enabled. Writes "signature" = {id, signer, role, meaning, at (ISO 8601 UTC)}
//     on success; exit "refused" with "signature_refusal" = the reason otherwise (the
//     refusal is audited "signature.rejected"). A missing `meaning` or malformed `roles`
//     is a handler error (a defect of the definition, not of the signature).
// Without a SignatureStore (no workstation database) the handler fails saying so.
// Thread-safety: the handler is stateless; the SignatureStore must outlive the registry's use.
#pragma once

#include "opflow/engine/HandlerRegistry.h"
#include "opflow/store/SignatureStore.h"

namespace opflow::builtin {

[[nodiscard]] Status registerSignatureHandlers(engine::HandlerRegistry& registry, store::SignatureStore* signatures);

} // namespace opflow::builtin
