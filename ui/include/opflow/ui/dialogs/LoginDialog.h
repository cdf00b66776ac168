// LoginDialog: asks who sits at the workstation (user name and password) and signs them
// in through the ConsoleSession. The password is checked off the GUI thread; while it is,
// the fields are locked. A refusal says so (the same words for an unknown user and a
// wrong password) and empties the password field; success accepts the dialog.
// Thread-safety: GUI thread only. The session must outlive the dialog.
#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace opflow::ui {

class ConsoleSession;

class LoginDialog : public QDialog {
  Q_OBJECT

public:
  explicit LoginDialog(ConsoleSession& session, QWidget* parent = nullptr);

  [[nodiscard]] QLineEdit* userField() const { return m_user; }
  [[nodiscard]] QLineEdit* passwordField() const { return m_password; }
  [[nodiscard]] QLabel* messageLabel() const { return m_message; }

private:
  void submit();
  void setBusy(bool busy);

  ConsoleSession& m_session;
  QLineEdit* m_user = nullptr;
  QLineEdit* m_password = nullptr;
  QLabel* m_message = nullptr;
  QDialogButtonBox* m_buttons = nullptr;
};

} // namespace opflow::ui
