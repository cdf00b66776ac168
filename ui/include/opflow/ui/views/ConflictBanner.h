// ConflictBanner: the band across the top of an order that says a change made here was
// lost to the shop: what it was, by whom, when, and whose state the order shows instead
// (ConflictText). A supervisor resolves it from here: "Keep the shop's state", or "Redo
// my change" (the run that made it starts again on the shop's state; a signature it
// needs is asked as for any run started here). With several open conflicts on the order
// it shows the oldest and how many follow. Hidden when there is none.
// Thread-safety: GUI thread only. The session must outlive it.
#pragma once

#include "opflow/sync/SyncConflicts.h"
#include "opflow/ui/text/ProblemText.h"

#include <QFrame>

#include <vector>

class QLabel;
class QPushButton;

namespace opflow::ui {

class ConflictResolver;
class ConsoleSession;

class ConflictBanner : public QFrame {
  Q_OBJECT

public:
  explicit ConflictBanner(ConsoleSession& session, QWidget* parent = nullptr);

  // The order's open conflicts, oldest first.
  void showConflicts(std::vector<sync::SyncConflict> conflicts);
  [[nodiscard]] const std::vector<sync::SyncConflict>& conflicts() const { return m_conflicts; }
  [[nodiscard]] QString text() const;
  [[nodiscard]] QPushButton* keepSharedButton() const { return m_keepShared; }
  [[nodiscard]] QPushButton* redoButton() const { return m_redo; }

signals:
  // A redo run started (the view opens its signature dialog when it waits for one).
  void runStarted(const QString& runId);
  // A conflict was resolved, or could not be: what to tell the person.
  void resolved(const QString& message);
  void failed(const opflow::ui::ConsoleProblem& problem);

private:
  ConsoleSession& m_session;
  ConflictResolver* m_resolver = nullptr;
  QLabel* m_text = nullptr;
  QPushButton* m_keepShared = nullptr;
  QPushButton* m_redo = nullptr;
  std::vector<sync::SyncConflict> m_conflicts;
};

} // namespace opflow::ui
