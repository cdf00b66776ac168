// What opflow-cli prints, and whether it got out. JSON is printed compact, one object a
// line (bytes an older build stored that are not UTF-8 come out as U+FFFD instead of
// aborting the print); text shows stored names through terminalSafe(), so no name can
// move the cursor or fake a row. A command's output that could not be written (a full
// disk) turns a success into kExitFailed with the system's reason, since a script reading
// it would otherwise take nothing for the answer; a closed pipe ends the process by
// SIGPIPE, as it ends any tool whose reader has gone (`opflow-cli audit list | head`).
// Thread-safety: single-threaded.
#pragma once

#include "opflow/Json.h"
#include "opflow/Result.h"
#include "opflow/Text.h"

#include <iosfwd>

namespace opflow::cli {

// `value` as one compact line.
void printJson(std::ostream& out, const Json& value);

// Flushes standard output; the exit code the process ends with: `exitCode`, or
// kExitFailed (after saying why) when the output could not be written.
[[nodiscard]] int finishOutput(int exitCode);

// Says why `error` ended the command and gives its exit code: kExitFailed where the
// system failed (Io: a full disk, a file that cannot be written), kExitUsage where the
// request was refused or malformed (nothing written).
[[nodiscard]] int failed(const Error& error);

} // namespace opflow::cli
