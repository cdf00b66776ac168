#include "flowchart/LabelLines.h"

#include "opflow/Text.h"

#include <algorithm>
#include <cstdint>

namespace opflow::flowchart {

namespace {

constexpr char32_t kEllipsis = 0x2026;

// Decodes UTF-8 (each invalid byte becomes U+FFFD), tabs become spaces and the other
// control characters (XML 1.0 forbids most of them) are dropped, except '\n'; the
// noncharacters U+FFFE and U+FFFF, which XML forbids too, become U+FFFD.
std::u32string decode(const std::string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t cp : decodeUtf8(text)) {
    if (cp == '\t') {
      out += U' ';
    } else if (cp == 0xFFFE || cp == 0xFFFF) {
      out += U'\uFFFD';
    } else if (cp == '\n' || !isControl(cp)) {
      out += cp;
    }
  }
  return out;
}

std::string encode(const std::u32string& text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : text) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

// `line` ending in "…" within `width` characters.
std::u32string withEllipsis(std::u32string line, std::size_t width) {
  if (!line.empty() && line.back() == kEllipsis) {
    return line;
  }
  if (line.size() >= width) {
    line.resize(width - 1);
  }
  while (!line.empty() && line.back() == U' ') {
    line.pop_back();
  }
  line += kEllipsis;
  return line;
}

// Wraps one paragraph into `lines`, stopping once `lines` holds more than `maxLines`.
void wrap(std::u32string_view paragraph, std::size_t width, std::size_t maxLines, std::vector<std::u32string>& lines) {
  while (lines.size() <= maxLines) {
    while (!paragraph.empty() && paragraph.front() == U' ') {
      paragraph.remove_prefix(1);
    }
    while (!paragraph.empty() && paragraph.back() == U' ') {
      paragraph.remove_suffix(1);
    }
    if (paragraph.size() <= width) {
      lines.emplace_back(paragraph);
      return;
    }
    const std::size_t space = paragraph.substr(0, width + 1).rfind(U' ');
    if (space != std::u32string_view::npos && space > 0) {
      lines.emplace_back(paragraph.substr(0, space));
      paragraph.remove_prefix(space + 1);
      continue;
    }
    lines.push_back(withEllipsis(std::u32string(paragraph.substr(0, width)), width));
    const std::size_t next = paragraph.find(U' ');
    if (next == std::u32string_view::npos) {
      return;
    }
    paragraph.remove_prefix(next + 1);
  }
}

} // namespace

std::string cleanText(const std::string& text) { return encode(decode(text)); }

std::vector<std::string> boundedLines(const std::string& text, const LayoutLimits& limits) {
  const std::size_t width = std::max<std::size_t>(limits.maxLineChars, 1);
  const std::u32string decoded = decode(text);
  if (decoded.empty()) {
    return {};
  }
  std::vector<std::u32string> lines;
  std::u32string_view rest = decoded;
  while (lines.size() <= limits.maxLines) {
    const std::size_t end = rest.find(U'\n');
    wrap(rest.substr(0, end), width, limits.maxLines, lines);
    if (end == std::u32string_view::npos) {
      break;
    }
    rest.remove_prefix(end + 1);
  }
  if (lines.size() > limits.maxLines) {
    lines.resize(limits.maxLines);
    if (!lines.empty()) {
      lines.back() = withEllipsis(lines.back(), width);
    }
  }
  std::vector<std::string> out;
  out.reserve(lines.size());
  for (const std::u32string& line : lines) {
    out.push_back(encode(line));
  }
  return out;
}

} // namespace opflow::flowchart
