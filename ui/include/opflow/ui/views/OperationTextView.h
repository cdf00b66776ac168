// OperationTextView: one operation shown as read-only, monospaced text (see
// operationText()). It holds the operation it shows, so a newer version loaded into the
// catalog meanwhile does not change the text under the reader's eyes.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/engine/OperationCatalog.h"

#include <QPlainTextEdit>

namespace opflow::ui {

class OperationTextView : public QPlainTextEdit {
  Q_OBJECT

public:
  explicit OperationTextView(QWidget* parent = nullptr);

  // Shows `operation`; null shows a hint that nothing is selected.
  void showOperation(engine::OperationPtr operation);
  [[nodiscard]] const engine::OperationPtr& operation() const { return m_operation; }

private:
  engine::OperationPtr m_operation;
};

} // namespace opflow::ui
