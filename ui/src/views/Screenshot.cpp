#include "opflow/ui/views/Screenshot.h"

#include <QCoreApplication>
#include <QPixmap>
#include <QWidget>

namespace opflow::ui {

bool renderToPng(QWidget& widget, const QString& path) {
  if (!widget.isVisible()) {
    widget.show();
  }
  widget.ensurePolished();
  QCoreApplication::sendPostedEvents();
  QCoreApplication::processEvents();
  return widget.grab().save(path, "PNG");
}

} // namespace opflow::ui
