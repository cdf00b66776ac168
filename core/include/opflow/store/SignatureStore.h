// SignatureStore: electronic signatures in the workstation database (table signatures,
// whose rows triggers keep from being changed or removed).
//
// sign() checks the signer's password (argon2id, on the caller's thread), then writes the
// signature and its audit entry "signature.given" (signer, role, time, meaning, subject)
// in one transaction on the writer thread. A refusal (unknown user or wrong password,
// which the caller cannot tell apart; a disabled user; a role that may not sign) writes
// only the audit entry "signature.refused" with the reason and returns PermissionDenied.
//
// check() is what a flowchart does with a signature it is given (handler
// signature.verify): it must exist, be about this subject, mean what is asked, come from
// one of the roles asked, and its signer must still be enabled. A mismatch is audited
// "signature.rejected" with the reason and returns PermissionDenied.
// Thread-safety: every member may be called from any thread.
#pragma once

#include "opflow/store/LocalStore.h"
#include "opflow/store/Signature.h"
#include "opflow/store/UserStore.h"

namespace opflow::store {

class SignatureStore {
public:
  SignatureStore(LocalStore& store, UserStore& users) : m_store(store), m_users(users) {}

  // InvalidArgument when the meaning or the subject is missing; PermissionDenied (audited)
  // when the signer cannot sign.
  [[nodiscard]] Result<Signature> sign(const SignRequest& request);

  // NotFound when there is no such signature.
  [[nodiscard]] Result<Signature> get(const std::string& id) const;

  // The signature when it counts for `use`; PermissionDenied (audited) with the reason
  // when it does not (a missing signature included).
  [[nodiscard]] Result<Signature> check(const std::string& id, const SignatureUse& use);

private:
  LocalStore& m_store;
  UserStore& m_users;
};

} // namespace opflow::store
