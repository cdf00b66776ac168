#include "opflow/domain/OrderNumber.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace opflow::domain {

namespace {

constexpr std::string_view kPrefix = "ORD-";

std::string_view trimmed(std::string_view text) {
  auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && isSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && isSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

bool hasPrefixIgnoringCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char expected, char c) {
           return expected == std::toupper(static_cast<unsigned char>(c));
         });
}

} // namespace

std::string formatOrderNumber(std::int64_t sequence) { return fmt::format("{}{:06}", kPrefix, sequence); }

Result<std::string> parseScannedOrderNumber(std::string_view scan) {
  std::string_view digits = trimmed(scan);
  if (hasPrefixIgnoringCase(digits, kPrefix)) {
    digits.remove_prefix(kPrefix.size());
  }
  const bool allDigits = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  std::int64_t sequence = 0;
  if (allDigits) {
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      sequence = 0; // too many digits for a number
    }
  }
  if (sequence <= 0) {
    return makeError(ErrorCode::InvalidArgument,
                     fmt::format("\"{}\" is not an order number: scan or type its digits (123, 000123 or ORD-000123)",
                                 scan));
  }
  return formatOrderNumber(sequence);
}

} // namespace opflow::domain
