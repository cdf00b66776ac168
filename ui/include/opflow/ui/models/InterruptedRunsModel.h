// InterruptedRunsModel: the runs that stopped at a handler not safe to repeat when the
// workstation restarted (state interrupted), waiting for a supervisor to retry the node,
// skip to another node or fail the run. Columns: operation, order, node, user, since
// (local time; UTC in the tooltip). refresh() loads them from Engine::activeRuns() off
// the GUI thread (a model reset when the answer arrives). Interrupted runs send no events:
// the view removes a run once the engine accepted a decision about it (the store says
// "interrupted" until the run has gone on, so a reload right then could still list it).
// Thread-safety: GUI thread only, like every Qt item model.
#pragma once

#include "opflow/engine/RunRecord.h"

#include <QAbstractTableModel>

#include <vector>

namespace opflow::ui {

class ConsoleSession;

class InterruptedRunsModel : public QAbstractTableModel {
  Q_OBJECT

public:
  enum Column { OperationColumn, OrderColumn, NodeColumn, UserColumn, SinceColumn, ColumnCount };
  enum Role { RunIdRole = Qt::UserRole + 1 };

  explicit InterruptedRunsModel(ConsoleSession& session, QObject* parent = nullptr);

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role = Qt::DisplayRole) const override;

  void refresh();
  [[nodiscard]] bool isLoaded() const { return m_loaded; }
  // The run shown on `row`, or null when there is no such row.
  [[nodiscard]] const engine::RunRecord* runAt(int row) const;
  // The row of the run, or -1.
  [[nodiscard]] int rowOf(const QString& runId) const;
  // Removes the run (decided about); nothing when it is not shown.
  void remove(const QString& runId);

signals:
  void loaded();

private:
  ConsoleSession& m_session;
  std::vector<engine::RunRecord> m_runs;
  bool m_loaded = false;
  quint64 m_generation = 0;
};

} // namespace opflow::ui
