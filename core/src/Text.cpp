#include "opflow/Text.h"

#include <fmt/format.h>

#include <cstdint>

namespace opflow {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

struct Decoded {
  char32_t codePoint = kReplacement;
  std::size_t length = 1; // bytes taken (1 for an invalid byte)
  bool valid = false;
};

// The code point starting at `i`: overlong forms, surrogates and values past U+10FFFF
// are invalid (RFC 3629).
Decoded decodeAt(std::string_view text, std::size_t i) {
  const auto byteAt = [&text](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  const std::uint8_t lead = byteAt(i);
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    return {lead, 1, true};
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    cp = lead & 0x1Fu;
    minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    cp = lead & 0x0Fu;
    minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    cp = lead & 0x07u;
    minimum = 0x10000;
  }
  bool valid = length > 0 && i + length <= text.size();
  for (std::size_t k = 1; valid && k < length; ++k) {
    const std::uint8_t next = byteAt(i + k);
    valid = (next & 0xC0) == 0x80;
    cp = (cp << 6) | (next & 0x3Fu);
  }
  valid = valid && cp >= minimum && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
  if (!valid) {
    return {};
  }
  return {cp, length, true};
}

} // namespace

std::u32string decodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const Decoded decoded = decodeAt(text, i);
    out += decoded.codePoint;
    i += decoded.length;
  }
  return out;
}

std::optional<std::size_t> invalidUtf8At(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const Decoded decoded = decodeAt(text, i);
    if (!decoded.valid) {
      return i;
    }
    i += decoded.length;
  }
  return std::nullopt;
}

bool isControl(char32_t codePoint) { return codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F); }

bool isBidiOverride(char32_t codePoint) {
  return (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069);
}

std::optional<TextFault> textFault(std::string_view text, bool allowLineBreaks) {
  for (std::size_t i = 0; i < text.size();) {
    const Decoded decoded = decodeAt(text, i);
    if (!decoded.valid) {
      return TextFault{i, fmt::format("byte 0x{:02X} is not UTF-8", static_cast<std::uint8_t>(text[i]))};
    }
    const char32_t cp = decoded.codePoint;
    if (isControl(cp) && !(allowLineBreaks && (cp == '\n' || cp == '\t'))) {
      return TextFault{i, fmt::format("control character U+{:04X}", static_cast<std::uint32_t>(cp))};
    }
    if (isBidiOverride(cp) && !allowLineBreaks) {
      return TextFault{i, fmt::format("direction override U+{:04X}", static_cast<std::uint32_t>(cp))};
    }
    i += decoded.length;
  }
  return std::nullopt;
}

std::size_t codePointCount(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    i += decodeAt(text, i).length;
  }
  return count;
}

std::string terminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const Decoded decoded = decodeAt(text, i);
    const char32_t cp = decoded.codePoint;
    if (!decoded.valid) {
      out += "\xEF\xBF\xBD"; // U+FFFD
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (isControl(cp) || isBidiOverride(cp)) {
      out += cp < 0x80 ? fmt::format("\\x{:02x}", static_cast<std::uint32_t>(cp))
                       : fmt::format("\\u{:04x}", static_cast<std::uint32_t>(cp));
    } else {
      out.append(text.substr(i, decoded.length));
    }
    i += decoded.length;
  }
  return out;
}

std::string shownBriefly(std::string_view text, std::size_t most) {
  // Cut before escaping, so no escape is cut in half.
  std::size_t end = 0;
  for (std::size_t taken = 0; end < text.size() && taken < most; ++taken) {
    end += decodeAt(text, end).length;
  }
  std::string shown = terminalSafe(text.substr(0, end));
  return end < text.size() ? shown + "\u2026" : shown;
}

} // namespace opflow
