// writeFileAtomically: a file Opflow writes for a person (an audit export, a drawn
// flowchart) is written whole or not at all: into a temporary file beside it, synced,
// then renamed over it, so a failure leaves no half-written file and an older one
// untouched. moveIntoPlace does the last step for a file written whole by other means (a
// database built beside its place). The target must be a regular file or a new path: the rename would replace a
// symbolic link, a FIFO or a device node (/dev/full, as root) with a regular file, so
// those are refused before anything is written.
// Thread-safety: a free function; one call per target at a time.
#pragma once

#include "opflow/Result.h"

#include <functional>
#include <ostream>
#include <string>

namespace opflow {

// `write` fills the stream; its error (or the system's reason for a failed open, write,
// sync or rename, or what else is at `path`) comes back as a message naming `path`:
// InvalidArgument for a wrong target (not a regular file, a folder that is not there or
// may not be written), Io when the system failed (a full disk). A file it replaces keeps
// its permissions; the temporary file is new (O_EXCL) and never reached through a link.
[[nodiscard]] Status writeFileAtomically(const std::string& path, const std::function<Status(std::ostream&)>& write);

// Renames `from` (complete and synced by whoever wrote it) to `to`, which must not exist,
// and syncs the folder so that the rename survives a power loss. Conflict when `to`
// exists (nothing is replaced), Io with the system's reason otherwise.
[[nodiscard]] Status moveIntoPlace(const std::string& from, const std::string& to);

} // namespace opflow
