// Rendering a widget to a PNG file, for --screenshot and the offscreen tests.
// Thread-safety: GUI thread only.
#pragma once

#include <QString>

class QWidget;

namespace opflow::ui {

// Shows `widget` if it is hidden, lets pending layout and paint events run (without a
// nested event loop), then saves what it draws to `path` as PNG. False if saving fails.
[[nodiscard]] bool renderToPng(QWidget& widget, const QString& path);

} // namespace opflow::ui
