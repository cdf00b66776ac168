// RunSigning: giving a run the electronic signature it waits for. A run that needs a
// signature calls the auth.sign sub-operation, which waits for the signal "signature";
// its inputs say what the signature means ("approved for manufacturing") and which order
// it concerns. signForRun() signs that meaning with the signer's password
// (SignatureStore::sign: checked, recorded, audited) and delivers only the signature's
// id, so the password never enters run data or the journal. The CLI's `sign`, `run
// --user`, the demo shop and the console all sign through here.
// Thread-safety: as Engine, RunStore and SignatureStore: any thread.
#pragma once

#include "opflow/engine/Engine.h"
#include "opflow/store/SignatureStore.h"

#include <optional>

namespace opflow::auth {

// The run of the tree of `runId` that waits for "signature" (itself, or the sub-run it
// waits on, however deep), or nullopt.
[[nodiscard]] std::optional<engine::RunRecord> runAwaitingSignature(const engine::RunStore& runs,
                                                                    const engine::RunId& runId);

// Signs what `signing` (an auth.sign run) asks for, as `credentials` at `workstation`,
// and delivers the signature to the tree of `runId`. The signature, or why it was
// refused (PermissionDenied from the password check) or not delivered. Whether the run
// accepts it (signer's role, meaning) shows in the run: it goes on, or waits again
// with "signature_refusal" in the signing run's data.
[[nodiscard]] Result<store::Signature> signForRun(engine::Engine& engine, store::SignatureStore& signatures,
                                                  const engine::RunId& runId, const engine::RunRecord& signing,
                                                  const store::Credentials& credentials,
                                                  const std::string& workstation);

} // namespace opflow::auth
