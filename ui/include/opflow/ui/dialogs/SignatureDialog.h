// SignatureDialog: gives a waiting run the electronic signature it asks for. It shows
// what the signature means (the auth.sign run's "meaning") and which order and run it
// concerns, and asks for the signer's name (the signed-in user by default) and password.
// Sign checks the password and delivers the signature on a worker thread
// (auth::signForRun). A wrong password, or a signature the run does not accept (the
// signer's role), keeps the dialog open with core's message; once the signing run
// completes the dialog closes with signatureAccepted(). Cancel (Escape) leaves the run waiting for
// a signature: it can be signed later from the order.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/engine/RunRecord.h"
#include "opflow/ui/bridge/ConsoleAction.h"
#include "opflow/ui/bridge/RunEvent.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace opflow::ui {

class ConsoleSession;

class SignatureDialog : public QDialog {
  Q_OBJECT

public:
  // `runId`: the run the signature is for (the tree of `signing`, the auth.sign run that
  // waits for it).
  SignatureDialog(ConsoleSession& session, engine::RunId runId, engine::RunRecord signing, QWidget* parent = nullptr);

  [[nodiscard]] QLineEdit* signerField() const { return m_signer; }
  [[nodiscard]] QLineEdit* passwordField() const { return m_password; }
  [[nodiscard]] QPushButton* signButton() const { return m_sign; }
  // What the dialog last said about a signature (a refusal, or that the run checks it).
  [[nodiscard]] QString message() const;
  [[nodiscard]] const engine::RunId& runId() const { return m_runId; }
  [[nodiscard]] const engine::RunRecord& signingRun() const { return m_signing; }

  // Signs with the entered name and password (what Sign does).
  void sign();

signals:
  void signatureAccepted(const QString& signer);

private:
  void onRunEvent(const RunEvent& event);
  void showMessage(const QString& text, bool problem);
  void showProblem(const ConsoleProblem& problem);
  // Signing this run, as the console action logged under the run's correlation id.
  [[nodiscard]] ConsoleAction signing() const;
  void setBusy(bool busy);

  ConsoleSession& m_session;
  engine::RunId m_runId;
  engine::RunRecord m_signing;
  QLineEdit* m_signer = nullptr;
  QLineEdit* m_password = nullptr;
  QLabel* m_message = nullptr;
  QPushButton* m_sign = nullptr;
  QString m_lastSigner;
  bool m_busy = false;
};

} // namespace opflow::ui
