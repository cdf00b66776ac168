// How the order detail, its models and its dialogs write values for people: times in the
// workstation's local time, durations, prices, input names as labels, JSON as lines, and
// the Alt+letter mnemonics of buttons and labels.
// Thread-safety: free functions over values; call them from any thread.
#pragma once

#include "opflow/Json.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string>

namespace opflow::ui {

// "2026-11-23 10:04:05" (local time) from UTC milliseconds; "" for 0.
[[nodiscard]] QString localTimeText(std::int64_t utcMs);
// "850 µs", "12 ms", "3.4 s", "2 min 05 s".
[[nodiscard]] QString durationText(std::int64_t durationUs);
// "1,234.50" from cents; "not priced" without a price.
[[nodiscard]] QString priceText(const std::optional<std::int64_t>& cents);
// "tracking_number" -> "Tracking number".
[[nodiscard]] QString labelFor(const std::string& name);
// One "key: value" line per leaf, nested keys joined by " › " ("file › volume_cm3: 12.5").
[[nodiscard]] QString jsonLines(const Json& value);
// `text` with a mnemonic ("&") before its first letter or digit not yet in `taken`
// (lower case), which gains it; text without a free letter keeps none. A literal "&"
// is doubled.
[[nodiscard]] QString withMnemonic(const QString& text, QString& taken);
// "Alt+S" for "&Submit the order"; "" when the text has no mnemonic.
[[nodiscard]] QString mnemonicShortcut(const QString& text);

} // namespace opflow::ui
