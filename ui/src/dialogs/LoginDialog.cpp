#include "opflow/ui/dialogs/LoginDialog.h"

#include "views/ViewParts.h"

#include "opflow/ui/bridge/ConsoleSession.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace opflow::ui {

LoginDialog::LoginDialog(ConsoleSession& session, QWidget* parent) : QDialog(parent), m_session(session) {
  setWindowTitle(tr("Sign in to Opflow"));
  setObjectName(QStringLiteral("loginDialog"));

  auto* intro = new QLabel(tr("Workstation <b>%1</b><br>Database %2")
                               .arg(session.workstation().toHtmlEscaped(), session.databasePath().toHtmlEscaped()));
  intro->setTextFormat(Qt::RichText);
  intro->setWordWrap(true);

  m_user = new QLineEdit;
  m_user->setObjectName(QStringLiteral("loginUser"));
  m_user->setAccessibleName(tr("User name"));
  m_password = new QLineEdit;
  m_password->setObjectName(QStringLiteral("loginPassword"));
  m_password->setAccessibleName(tr("Password"));
  m_password->setEchoMode(QLineEdit::Password);

  m_message = new QLabel;
  m_message->setObjectName(QStringLiteral("loginMessage"));
  m_message->setAccessibleName(tr("Sign-in message"));
  m_message->setWordWrap(true);
  m_message->hide();

  m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Sign in"));
  m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("&Quit"));

  auto* form = new QFormLayout;
  form->addRow(tr("&User:"), m_user);
  form->addRow(tr("&Password:"), m_password);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addLayout(form);
  layout->addWidget(m_message);
  layout->addWidget(m_buttons);

  connect(m_buttons, &QDialogButtonBox::accepted, this, &LoginDialog::submit);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(&m_session, &ConsoleSession::signedIn, this, [this] {
    setBusy(false);
    accept();
  });
  connect(&m_session, &ConsoleSession::signInFailed, this, [this](const ConsoleProblem& problem) {
    setBusy(false);
    showProblem(m_message, problem);
    m_message->show();
    m_password->clear();
    m_password->setFocus(Qt::OtherFocusReason);
  });
  setTabOrder(m_user, m_password);
  m_user->setFocus(Qt::OtherFocusReason);
}

void LoginDialog::submit() {
  if (m_user->text().trimmed().isEmpty()) {
    showOutcome(m_message, tr("Enter your user name."), true);
    m_message->show();
    m_user->setFocus(Qt::OtherFocusReason);
    return;
  }
  m_message->hide();
  setBusy(true);
  m_session.signIn(m_user->text(), m_password->text());
}

void LoginDialog::setBusy(bool busy) {
  m_user->setEnabled(!busy);
  m_password->setEnabled(!busy);
  m_buttons->setEnabled(!busy);
  if (busy) {
    showOutcome(m_message, tr("Checking…"), false);
    m_message->show();
  }
}

} // namespace opflow::ui
