// writeFileAtomically: a file the CLI writes (an audit export, a drawn flowchart) is
// written whole or not at all: into a temporary file beside it, synced, then renamed over
// it, so a failure leaves no half-written file and an older one untouched.
// Thread-safety: a free function; one call per target at a time.
#pragma once

#include "opflow/Result.h"

#include <functional>
#include <ostream>
#include <string>

namespace opflow::cli {

// `write` fills the stream; its error (or the system's reason for a failed open, write,
// sync or rename) comes back as a message naming `path`.
[[nodiscard]] Status writeFileAtomically(const std::string& path, const std::function<Status(std::ostream&)>& write);

} // namespace opflow::cli
