// InputFormDialog: starts one operation from the console. It shows the operation's title
// and description and an InputForm of its inputs (the order of an order operation filled
// in and read-only; with nothing else to enter it is a confirmation). Start stays
// disabled while core finds a problem with the inputs. Start asks the engine on a worker
// thread, as the signed-in user at this workstation; a refusal (role, inputs) stays in the
// dialog with core's message, each input problem under its editor. started(runId) follows
// a run that started; the dialog then closes. Enter starts, Escape cancels.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/Json.h"
#include "opflow/engine/OperationCatalog.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QPushButton;

namespace opflow::ui {

class ConsoleSession;
class InputForm;

class InputFormDialog : public QDialog {
  Q_OBJECT

public:
  // `fixed` (an object): inputs given by the console, shown read-only.
  InputFormDialog(ConsoleSession& session, engine::OperationPtr operation, Json fixed, QWidget* parent = nullptr);

  [[nodiscard]] InputForm* form() const { return m_form; }
  [[nodiscard]] QPushButton* startButton() const { return m_start; }
  // Core's refusal of the last start ("" when none).
  [[nodiscard]] QString refusal() const;

  // Starts the run with the form's values (what Start does).
  void start();

signals:
  void started(const QString& runId);

private:
  void updateStartButton();

  ConsoleSession& m_session;
  engine::OperationPtr m_operation;
  InputForm* m_form = nullptr;
  QLabel* m_refusal = nullptr;
  QPushButton* m_start = nullptr;
  bool m_starting = false;
};

} // namespace opflow::ui
