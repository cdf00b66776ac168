#include "opflow/ui/views/OperationTextView.h"

#include "opflow/ui/text/OperationText.h"

#include <QFontDatabase>
#include <QTextDocument>

#include <utility>

namespace opflow::ui {

namespace {
constexpr qreal kMargin = 10;
} // namespace

OperationTextView::OperationTextView(QWidget* parent) : QPlainTextEdit(parent) {
  setReadOnly(true);
  setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  setLineWrapMode(QPlainTextEdit::WidgetWidth);
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  document()->setDocumentMargin(kMargin);
  setObjectName(QStringLiteral("operationText"));
  setAccessibleName(tr("Operation"));
  setAccessibleDescription(tr("The selected operation: its inputs, and each node with where it goes next"));
  showOperation(nullptr);
}

void OperationTextView::showOperation(engine::OperationPtr operation) {
  m_operation = std::move(operation);
  setPlainText(m_operation ? operationText(m_operation->definition()) : tr("No operation selected."));
}

} // namespace opflow::ui
