#include "opflow/store/UtcTime.h"

#include <fmt/format.h>

#include <chrono>
#include <optional>

namespace opflow::store {

namespace {

using namespace std::chrono;

// Reads exactly `count` digits at `pos`, advancing it.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t count) {
  if (pos + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  pos += count;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

Error malformed(std::string_view text, std::string_view why) {
  return makeError(ErrorCode::InvalidArgument,
                   fmt::format("\"{}\" is not a time: {} (use 2026-11-23T10:00:00Z, 2026-11-23 or milliseconds "
                               "since the epoch)",
                               text, why));
}

} // namespace

std::string formatUtcMs(std::int64_t ms) {
  const sys_time<milliseconds> time{milliseconds{ms}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), clock.hours().count(),
                     clock.minutes().count(), clock.seconds().count(), clock.subseconds().count());
}

Result<std::int64_t> parseUtcTime(std::string_view text) {
  if (text.empty()) {
    return malformed(text, "it is empty");
  }
  if (text.find_first_not_of("0123456789") == std::string_view::npos) {
    if (text.size() > 15) {
      return malformed(text, "too many digits for milliseconds since the epoch");
    }
    std::int64_t value = 0;
    for (char c : text) {
      value = value * 10 + (c - '0');
    }
    return value;
  }
  std::size_t pos = 0;
  auto y = digits(text, pos, 4);
  if (!y || !expect(text, pos, '-')) {
    return malformed(text, "expected a date as YYYY-MM-DD");
  }
  auto m = digits(text, pos, 2);
  if (!m || !expect(text, pos, '-')) {
    return malformed(text, "expected a date as YYYY-MM-DD");
  }
  auto d = digits(text, pos, 2);
  if (!d) {
    return malformed(text, "expected a date as YYYY-MM-DD");
  }
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok()) {
    return malformed(text, "no such date");
  }
  std::int64_t ms = duration_cast<milliseconds>(sys_days{date}.time_since_epoch()).count();
  if (pos == text.size()) {
    return ms;
  }
  if (!expect(text, pos, 'T') && !expect(text, pos, 't') && !expect(text, pos, ' ')) {
    return malformed(text, "expected 'T' and a time after the date");
  }
  auto hh = digits(text, pos, 2);
  if (!hh || !expect(text, pos, ':')) {
    return malformed(text, "expected a time as HH:MM:SS");
  }
  auto mm = digits(text, pos, 2);
  if (!mm) {
    return malformed(text, "expected a time as HH:MM:SS");
  }
  int ss = 0;
  int fraction = 0;
  if (expect(text, pos, ':')) {
    auto seconds = digits(text, pos, 2);
    if (!seconds) {
      return malformed(text, "expected seconds as two digits");
    }
    ss = *seconds;
    if (expect(text, pos, '.')) {
      int scale = 100;
      std::size_t count = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        fraction += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
        ++count;
      }
      if (count == 0) {
        return malformed(text, "expected digits after the decimal point");
      }
    }
  }
  if (*hh > 23 || *mm > 59 || ss > 59) {
    return malformed(text, "no such time of day");
  }
  std::string_view zone = text.substr(pos);
  if (zone.empty()) {
    return malformed(text, "no time zone: add Z (times are UTC)");
  }
  if (zone != "Z" && zone != "z" && zone != "+00:00") {
    return malformed(text, "only UTC is accepted: end the time with Z");
  }
  return ms + ((*hh * 60 + *mm) * 60 + ss) * std::int64_t{1000} + fraction;
}

} // namespace opflow::store
