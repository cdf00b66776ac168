// OrderRunsModel: the runs of one order as a tree: its runs, newest first, each with its
// journaled steps (node, exit, start, duration, error) followed by its sub-runs (oldest
// first), which have their steps and sub-runs in turn. Columns: Run / step, Outcome,
// Started, Duration, Detail. The runs are read off the GUI thread by whoever owns the
// model and handed to it.
// Thread-safety: GUI thread only, like every Qt item model.
#pragma once

#include "opflow/engine/RunRecord.h"
#include "opflow/store/SqliteRunStore.h"

#include <QAbstractItemModel>

#include <vector>

namespace opflow::ui {

class OrderRunsModel : public QAbstractItemModel {
  Q_OBJECT

public:
  enum Column { NameColumn, OutcomeColumn, StartedColumn, DurationColumn, DetailColumn, ColumnCount };
  enum Role { RunIdRole = Qt::UserRole + 1 }; // the run of a run row, or of a step's run

  // A run with its journal.
  struct Run {
    store::RunSummary summary;
    std::vector<engine::StepRecord> steps;
  };

  explicit OrderRunsModel(QObject* parent = nullptr);

  [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  [[nodiscard]] QModelIndex parent(const QModelIndex& child) const override;
  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role = Qt::DisplayRole) const override;

  // Shows `runs` (in any order; a run whose parent is not among them is a top row)
  // instead of what was shown (a model reset).
  void setRuns(std::vector<Run> runs);
  // The index of the run `runId` (column 0), or an invalid index.
  [[nodiscard]] QModelIndex indexOfRun(const QString& runId) const;

private:
  struct Item {
    bool isRun = true;
    std::size_t run = 0;  // into m_runs (a step: its run)
    std::size_t step = 0; // into the run's steps
    int parent = -1;      // into m_items; -1 for a top row
    int row = 0;          // among its parent's children
    std::vector<int> children;
  };

  // Adds `item` under its parent; its index in m_items.
  int addItem(Item item);
  void addRunItems(std::size_t run, int parent, int row);
  [[nodiscard]] QVariant runData(const Run& run, int column, int role) const;
  [[nodiscard]] QVariant stepData(const engine::StepRecord& step, int column, int role) const;

  std::vector<Run> m_runs;
  std::vector<Item> m_items;
  std::vector<int> m_roots;
};

} // namespace opflow::ui
