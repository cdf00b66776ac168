#include "opflow/ui/dialogs/SignatureDialog.h"

#include "text/QtText.h"
#include "views/ViewParts.h"

#include "opflow/auth/RunSigning.h"
#include "opflow/ui/bridge/ConsoleSession.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace opflow::ui {

SignatureDialog::SignatureDialog(ConsoleSession& session, engine::RunId runId, engine::RunRecord signing,
                                 QWidget* parent)
    : QDialog(parent), m_session(session), m_runId(std::move(runId)), m_signing(std::move(signing)) {
  setObjectName(QStringLiteral("signatureDialog"));
  setWindowTitle(tr("Electronic signature"));
  setAccessibleName(windowTitle());
  const QString meaning = qt(m_signing.inputs.value("meaning", std::string()));
  const Json order = m_signing.inputs.value("order", Json());

  auto* what = new QLabel(tr("Your signature means: <b>%1</b>").arg(meaning.toHtmlEscaped()), this);
  what->setObjectName(QStringLiteral("meaning"));
  what->setWordWrap(true);
  auto* subject = new QLabel(this);
  subject->setObjectName(QStringLiteral("subject"));
  subject->setText(order.is_string() ? tr("Order %1, run %2").arg(qt(order.get<std::string>()), qt(m_runId.str()))
                                     : tr("Run %1").arg(qt(m_runId.str())));
  subject->setTextInteractionFlags(Qt::TextSelectableByMouse);

  m_signer = new QLineEdit(this);
  m_signer->setObjectName(QStringLiteral("signer"));
  m_signer->setAccessibleName(tr("Signer"));
  m_signer->setToolTip(tr("Who signs (a supervisor where the operation asks for one)"));
  if (m_session.user()) {
    m_signer->setText(qt(m_session.user()->name));
  }
  m_password = new QLineEdit(this);
  m_password->setObjectName(QStringLiteral("password"));
  m_password->setAccessibleName(tr("Password"));
  m_password->setToolTip(tr("The signer's password: it is checked, never stored in the run"));
  m_password->setEchoMode(QLineEdit::Password);

  auto* fields = new QFormLayout;
  auto* signerLabel = new QLabel(tr("Signe&r"), this);
  signerLabel->setBuddy(m_signer);
  auto* passwordLabel = new QLabel(tr("&Password"), this);
  passwordLabel->setBuddy(m_password);
  fields->addRow(signerLabel, m_signer);
  fields->addRow(passwordLabel, m_password);

  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("message"));
  m_message->setAccessibleName(tr("Signature result"));
  m_message->setWordWrap(true);
  m_message->setVisible(false);
  auto* note = new QLabel(tr("Cancel leaves the run waiting for a signature: it can be signed later from the order."),
                          this);
  note->setWordWrap(true);
  note->setForegroundRole(QPalette::PlaceholderText);

  auto* buttons = new QDialogButtonBox(this);
  m_sign = buttons->addButton(tr("&Sign"), QDialogButtonBox::AcceptRole);
  m_sign->setObjectName(QStringLiteral("sign"));
  m_sign->setDefault(true);
  m_sign->setToolTip(tr("Sign (Enter)"));
  m_sign->setAccessibleName(tr("Sign"));
  QPushButton* cancel = buttons->addButton(QDialogButtonBox::Cancel);
  cancel->setToolTip(tr("Do not sign now; the run keeps waiting (Escape)"));
  cancel->setAccessibleName(tr("Cancel"));
  connect(m_sign, &QPushButton::clicked, this, &SignatureDialog::sign);
  connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
  connect(&m_session.events(), &RunEventBridge::runEvent, this, &SignatureDialog::onRunEvent);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(what);
  layout->addWidget(subject);
  layout->addLayout(fields);
  layout->addWidget(m_message);
  layout->addWidget(note);
  layout->addWidget(buttons);
  setTabOrder(m_signer, m_password);
  setTabOrder(m_password, m_sign);
  setTabOrder(m_sign, cancel);
  if (m_signer->text().isEmpty()) {
    m_signer->setFocus();
  } else {
    m_password->setFocus();
  }
}

QString SignatureDialog::message() const { return shownText(m_message); }

void SignatureDialog::showMessage(const QString& text, bool problem) {
  showOutcome(m_message, text, problem);
  m_message->setVisible(!text.isEmpty());
}

void SignatureDialog::showProblem(const ConsoleProblem& problem) {
  ui::showProblem(m_message, problem);
  m_message->setVisible(true);
}

ConsoleAction SignatureDialog::signing() const {
  return ConsoleAction::onRun(m_session, "run.sign", m_signing.id.str(), m_signing.context.correlationId);
}

void SignatureDialog::setBusy(bool busy) {
  m_busy = busy;
  m_sign->setEnabled(!busy);
  m_signer->setEnabled(!busy);
  m_password->setEnabled(!busy);
}

void SignatureDialog::sign() {
  if (m_busy) {
    return;
  }
  if (m_signer->text().trimmed().isEmpty() || m_password->text().isEmpty()) {
    showMessage(tr("Enter the signer's name and password."), true);
    return;
  }
  setBusy(true);
  showMessage(tr("Checking the signature…"), false);
  m_lastSigner = m_signer->text().trimmed();
  store::Credentials credentials{m_lastSigner.toStdString(), m_password->text().toStdString()};
  engine::Engine* engine = &m_session.host().engine();
  store::SignatureStore* signatures = &m_session.host().workstation().signatures();
  const std::string workstation = m_session.workstation().toStdString();
  m_session.background().run(
      this,
      [engine, signatures, runId = m_runId, signing = m_signing, credentials, workstation] {
        return auth::signForRun(*engine, *signatures, runId, signing, credentials, workstation);
      },
      [this](const Result<store::Signature>& signature) {
        m_password->clear();
        if (!signature) {
          setBusy(false);
          showProblem(signing().failed(signature.error(), tr("Not signed: %1").arg(qt(signature.error().message))));
          m_password->setFocus();
          return;
        }
        // The run checks it (meaning, the signer's role): it completes or waits again.
        showMessage(tr("Signed by %1; the run checks the signature…").arg(qt(signature->signer)), false);
      });
}

void SignatureDialog::onRunEvent(const RunEvent& event) {
  if (event.runId != qt(m_signing.id.str())) {
    return;
  }
  switch (event.kind) {
  case RunEvent::Kind::Completed:
    emit signatureAccepted(m_lastSigner);
    accept();
    return;
  case RunEvent::Kind::Waiting: {
    if (event.signal != QStringLiteral("signature")) {
      return;
    }
    // Waiting again: the run did not accept the signature; its reason is in the run's data.
    const engine::RunStore* runs = &m_session.host().runs();
    m_session.background().run(
        this, [runs, id = m_signing.id] { return runs->loadRun(id); },
        [this](const std::optional<engine::RunRecord>& run) {
          setBusy(false);
          const Json refusal = run && run->data.is_object() ? run->data.value("signature_refusal", Json()) : Json();
          const QString reason = refusal.is_string() ? qt(refusal.get<std::string>()) : tr("no reason given");
          showProblem(signing().failed(makeError(ErrorCode::PermissionDenied, reason.toStdString()),
                                       tr("The run did not accept the signature: %1. Another signer may sign.")
                                           .arg(reason)));
          m_password->setFocus();
        });
    return;
  }
  case RunEvent::Kind::Failed:
  case RunEvent::Kind::Cancelled:
    setBusy(true);
    if (event.kind == RunEvent::Kind::Failed) {
      showProblem({tr("The run failed: %1").arg(event.error), qt(m_signing.context.correlationId)});
    } else {
      showMessage(tr("The run was cancelled."), true);
    }
    return;
  default: return;
  }
}

} // namespace opflow::ui
