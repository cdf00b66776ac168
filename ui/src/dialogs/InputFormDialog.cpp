#include "opflow/ui/dialogs/InputFormDialog.h"

#include "text/QtText.h"
#include "views/ViewParts.h"

#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/dialogs/InputForm.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace opflow::ui {

InputFormDialog::InputFormDialog(ConsoleSession& session, engine::OperationPtr operation, Json fixed, QWidget* parent)
    : QDialog(parent), m_session(session), m_operation(std::move(operation)) {
  const model::OperationDefinition& definition = m_operation->definition();
  setObjectName(QStringLiteral("inputFormDialog"));
  setWindowTitle(tr("Start: %1").arg(qt(definition.title.empty() ? definition.name : definition.title)));
  setAccessibleName(windowTitle());
  setMinimumWidth(440);

  auto* title = new QLabel(QStringLiteral("<b>%1</b> <small>(%2 v%3)</small>")
                               .arg(qt(definition.title).toHtmlEscaped(), qt(definition.name).toHtmlEscaped())
                               .arg(definition.version),
                           this);
  auto* description = new QLabel(qt(definition.description), this);
  description->setWordWrap(true);
  description->setVisible(!definition.description.empty());

  m_form = new InputForm(definition.inputs, std::move(fixed), this);
  auto* confirm = new QLabel(tr("Nothing more to enter: start it?"), this);
  confirm->setVisible(!m_form->hasEditableInputs());

  m_refusal = new QLabel(this);
  m_refusal->setObjectName(QStringLiteral("refusal"));
  m_refusal->setAccessibleName(tr("Why the start was refused"));
  m_refusal->setWordWrap(true);
  m_refusal->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_refusal->setVisible(false);

  auto* buttons = new QDialogButtonBox(this);
  m_start = buttons->addButton(tr("&Start"), QDialogButtonBox::AcceptRole);
  m_start->setObjectName(QStringLiteral("start"));
  m_start->setDefault(true);
  m_start->setToolTip(tr("Start the operation (Enter)"));
  m_start->setAccessibleName(tr("Start %1").arg(qt(definition.title)));
  QPushButton* cancel = buttons->addButton(QDialogButtonBox::Cancel);
  cancel->setToolTip(tr("Close without starting (Escape)"));
  cancel->setAccessibleName(tr("Cancel"));
  connect(m_start, &QPushButton::clicked, this, &InputFormDialog::start);
  connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
  connect(m_form, &InputForm::validityChanged, this, &InputFormDialog::updateStartButton);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(title);
  layout->addWidget(description);
  layout->addWidget(m_form);
  layout->addWidget(confirm);
  layout->addWidget(m_refusal);
  layout->addWidget(buttons);
  updateStartButton();
}

QString InputFormDialog::refusal() const { return shownText(m_refusal); }

void InputFormDialog::updateStartButton() { m_start->setEnabled(m_form->isValid() && !m_starting); }

void InputFormDialog::start() {
  if (!m_form->isValid() || m_starting) {
    return;
  }
  m_starting = true;
  m_refusal->setVisible(false);
  updateStartButton();
  engine::StartRequest request;
  request.operation = m_operation->name();
  request.version = m_operation->version();
  request.inputs = m_form->values();
  request.context = m_session.runContext();
  // The engine logs and audits a refused start under this id: the reference shown with it.
  request.context.correlationId = engine::newUuidV7();
  engine::Engine* engine = &m_session.host().engine();
  m_session.background().run(
      this, [engine, request]() mutable { return engine->start(std::move(request)); },
      [this, reference = qt(request.context.correlationId)](const Result<engine::RunId>& started) {
        m_starting = false;
        if (started) {
          emit this->started(qt(started->str()));
          accept();
          return;
        }
        showProblem(m_refusal, {tr("Refused: %1").arg(qt(started.error().message)), reference});
        m_refusal->setVisible(true);
        m_form->showProblems(started.error().problems);
        updateStartButton();
      });
}

} // namespace opflow::ui
