#include "opflow/ui/text/ProblemText.h"

#include <QCoreApplication>

namespace opflow::ui {

QString ConsoleProblem::fullText() const { return text + referenceText(reference); }

QString referenceText(const QString& correlationId) {
  if (correlationId.isEmpty()) {
    return {};
  }
  return QCoreApplication::translate("ProblemText",
                                     "\nReference %1: give it to your supervisor; it finds the log lines, audit "
                                     "entries and trace of what happened.")
      .arg(correlationId);
}

} // namespace opflow::ui
