// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids
// from one process strictly increasing within a millisecond, then 62 random bits.
#include "opflow/engine/RunId.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace opflow::engine {

std::string newUuidV7() {
  static std::mutex mutex;
  static std::mt19937_64 random{std::random_device{}()};
  static std::uint64_t lastMs = 0;
  static std::uint32_t counter = 0;

  std::uint64_t ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  std::uint64_t randomBits = 0;
  std::uint32_t sequence = 0; // the counter as this call left it: read under the lock
  {
    std::lock_guard lock(mutex);
    if (ms <= lastMs) {
      ms = lastMs;
      if (++counter > 0xFFF) {
        ms = ++lastMs;
        counter = 0;
      }
    } else {
      lastMs = ms;
      counter = 0;
    }
    sequence = counter;
    randomBits = random();
  }
  std::array<std::uint8_t, 16> bytes{};
  for (int i = 0; i < 6; ++i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  }
  bytes[6] = static_cast<std::uint8_t>(0x70 | ((sequence >> 8) & 0x0F));
  bytes[7] = static_cast<std::uint8_t>(sequence & 0xFF);
  for (int i = 0; i < 8; ++i) {
    bytes[static_cast<std::size_t>(8 + i)] = static_cast<std::uint8_t>(randomBits >> (56 - 8 * i));
  }
  bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3F));

  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text += '-';
    }
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 0x0F];
  }
  return text;
}

RunId RunId::generate() { return RunId(newUuidV7()); }

} // namespace opflow::engine
