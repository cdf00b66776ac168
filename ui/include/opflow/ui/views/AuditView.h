// AuditView: the audit log for review (supervisors and managers): filters by user, action,
// order, correlation id and time range (since/until, each with its own checkbox), applied
// with Enter or the Apply button; the entries newest first (AuditModel, fetched page by
// page as the table scrolls); "Verify chain" walks the whole hash chain off the GUI
// thread and says plainly whether it holds or which entry breaks it (selecting that entry
// when it is loaded); "Export CSV" (supervisors only: managers read) writes the entries
// the filters select to a file through a temporary file renamed at the end, so a failed
// export leaves nothing half-written.
// The scope chooses this workstation's log or the whole shop's (read from the shared
// database; while it cannot be reached the view says the shop view is unavailable); in
// the shop scope "Verify chain" verifies every workstation's chain there, naming the
// workstation whose chain breaks, and the export writes the shop's entries, each with its
// chain's workstation.
// Shortcuts: Ctrl+F filters, Enter apply, Ctrl+Shift+V verify, Ctrl+E export.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/store/AuditLog.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace opflow::ui {

class AuditModel;
class ConsoleAction;
class ConsoleSession;

class AuditView : public QWidget {
  Q_OBJECT

public:
  explicit AuditView(ConsoleSession& session, QWidget* parent = nullptr);

  [[nodiscard]] bool isLoaded() const { return m_loaded; }
  [[nodiscard]] AuditModel* model() const { return m_model; }
  [[nodiscard]] QTableView* table() const { return m_table; }
  [[nodiscard]] QComboBox* scopeBox() const { return m_scope; }
  // The last outcome shown under the table (a verification, an export, a failed read).
  [[nodiscard]] QString resultText() const;
  // The filter the fields describe (keyset and limit left to the model).
  [[nodiscard]] store::AuditQuery filterFromFields() const;

  // Writes the entries the applied filters select as CSV to `path`, off the GUI thread;
  // exportFinished() follows. False (and nothing started) when the role may not export,
  // the path is empty or an export is already running.
  bool exportCsv(const QString& path);

public slots:
  // Sets the order filter to `number` and applies the filters.
  void showOrder(const QString& number);
  void applyFilters();
  void clearFilters();
  void verifyChain();
  // Asks for a file (a non-blocking dialog), then exports to it.
  void chooseExportFile();

signals:
  void loaded();
  // The chain holds (brokenSeq 0), or breaks at entry brokenSeq; `checked` entries were read.
  void verified(bool intact, qlonglong checked, qlonglong brokenSeq);
  void verifyFailed(const QString& message);
  void exportFinished(bool ok, const QString& message);

private:
  [[nodiscard]] QWidget* buildFilters();
  void selectBrokenEntry();
  void showVerification(const store::AuditVerification& verification, const ConsoleAction& verifying);
  // A verification's outcome: calm when intact, else a problem under the verification's reference.
  void showFinding(const QString& outcome, bool intact, const ConsoleAction& verifying);
  void verifyShop();

  ConsoleSession& m_session;
  AuditModel* m_model = nullptr;
  QComboBox* m_scope = nullptr;
  QLineEdit* m_user = nullptr;
  QLineEdit* m_action = nullptr;
  QLineEdit* m_order = nullptr;
  QLineEdit* m_correlation = nullptr;
  QCheckBox* m_sinceEnabled = nullptr;
  QDateTimeEdit* m_since = nullptr;
  QCheckBox* m_untilEnabled = nullptr;
  QDateTimeEdit* m_until = nullptr;
  QPushButton* m_apply = nullptr;
  QPushButton* m_clear = nullptr;
  QTableView* m_table = nullptr;
  QPushButton* m_verify = nullptr;
  QPushButton* m_export = nullptr;
  QLabel* m_result = nullptr;
  std::int64_t m_brokenSeq = 0; // the entry the last verification found broken, 0: none
  bool m_verifying = false;
  bool m_exporting = false;
  bool m_loaded = false;
};

} // namespace opflow::ui
