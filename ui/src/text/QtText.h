// qt(): core's std::string as a QString (UTF-8), for the ui's sources.
// Thread-safety: a pure function.
#pragma once

#include <QString>

#include <string>

namespace opflow::ui {

[[nodiscard]] inline QString qt(const std::string& text) { return QString::fromStdString(text); }

} // namespace opflow::ui
