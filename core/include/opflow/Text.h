// Text as it arrives from outside: UTF-8 checks, control characters, and a form that is
// safe to print on a terminal. Names, inputs and payloads reach the audit log, the CLI's
// tables and the console; a byte that is not UTF-8 makes a JSON dump throw, and a
// control character (an ANSI escape, a carriage return) can repaint a terminal line or
// fake a table row. Core checks text with these at its boundaries, and printers that
// show stored text (which an older build may have let in) pass it through
// terminalSafe().
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace opflow {

// The code points of UTF-8 text; each byte of an invalid sequence becomes U+FFFD.
[[nodiscard]] std::u32string decodeUtf8(std::string_view text);
// The offset of the first byte that does not start a valid UTF-8 sequence; none when the
// whole text is valid.
[[nodiscard]] std::optional<std::size_t> invalidUtf8At(std::string_view text);

// A control character: C0 (U+0000..U+001F), DEL (U+007F) or C1 (U+0080..U+009F).
[[nodiscard]] bool isControl(char32_t codePoint);
// A bidirectional embedding, override or isolate (U+202A..U+202E, U+2066..U+2069): it
// reorders what a terminal shows after it, so a name could read as another.
[[nodiscard]] bool isBidiOverride(char32_t codePoint);

struct TextFault {
  std::size_t offset = 0; // byte offset in the text
  std::string what;       // "byte 0xFF is not UTF-8", "control character U+001B"
};

// The first fault of text meant as a one-line name: a byte that is not UTF-8, any control
// character or a direction override. With `allowLineBreaks` (free text: notes, reasons)
// tab and newline are accepted, and so are direction overrides, which right-to-left text
// pasted from elsewhere holds; terminalSafe() escapes them where such text is printed.
[[nodiscard]] std::optional<TextFault> textFault(std::string_view text, bool allowLineBreaks = false);

// The number of code points of valid UTF-8 text (bytes of invalid sequences count one each).
[[nodiscard]] std::size_t codePointCount(std::string_view text);

// The text with every control character and direction override shown as an escape
// ("\x1b", "\n", "\u202e") and every invalid byte as U+FFFD, so printing it moves no
// cursor, starts no new row and reorders nothing.
[[nodiscard]] std::string terminalSafe(std::string_view text);

// terminalSafe() of the first `most` characters of `text`, and "…" when there were more:
// for echoing text someone typed in a message or a record, whatever its length.
[[nodiscard]] std::string shownBriefly(std::string_view text, std::size_t most = 200);

} // namespace opflow
