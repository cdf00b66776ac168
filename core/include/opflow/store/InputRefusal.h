// InputRefusal: input refused at a boundary before any change could record it, such as a
// signal payload or run inputs that break the JSON limits (JsonBounds) or bytes that are
// not UTF-8. The audit entry "input.refused" names who sent it, for what, and the problem;
// it never holds the refused bytes (the audit log is permanent, and what was refused is
// exactly what must not be kept).
// Thread-safety: any thread (the store's writer).
#pragma once

#include "opflow/store/LocalStore.h"

#include <string>

namespace opflow::store {

struct InputRefusal {
  std::string user;
  std::string role;
  std::string workstation;
  std::string command; // "run", "signal", ...
  std::string input;   // what the input was for: "--payload", "--input order"
  std::string subject; // the operation or run it was meant for
  std::string problem; // why it was refused (JsonViolation::describe)
};

// Appends the audit entry and waits until it is durable.
[[nodiscard]] Status auditInputRefusal(LocalStore& store, const InputRefusal& refusal);

} // namespace opflow::store
