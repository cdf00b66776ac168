// RunsModel: the live runs of the workstation, one row per running or waiting top-level
// run, oldest first. A sub-run is folded into the top-level run it works for: the row's
// current node reads "notify › demo.notify: send", and the sub-run's handler progress,
// message and ETA are shown on it.
//
// refresh() loads Engine::activeRuns() off the GUI thread; from then on the bridge's run
// events keep the rows current: Started appends a row, StepEntered/Progress/Waiting
// update it, Completed/Failed/Cancelled mark it ended, and ended rows leave a few seconds
// later (kEndedLingerMs), so the end is seen. Events that arrive while a load is under way
// are kept and replayed over the loaded rows, so none is lost. A run the model never heard
// of (one resumed by a supervisor's decision sends no Started) is looked up once
// (Engine::runRecord) and appended, or folded into its top-level run.
//
// Cost: a hash from run id to row makes each event O(1) with a dataChanged of its one
// row; rows are appended at the end; ended rows are removed together by one sweep. One
// timer (while there are rows and the clock runs) repaints the elapsed and ETA columns
// once a second, with one dataChanged for those two columns.
// Thread-safety: GUI thread only, like every Qt item model.
#pragma once

#include "opflow/engine/RunRecord.h"
#include "opflow/ui/bridge/RunEvent.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QTimer>

#include <optional>
#include <vector>

namespace opflow::ui {

class ConsoleSession;

class RunsModel : public QAbstractTableModel {
  Q_OBJECT

public:
  enum Column {
    OperationColumn,
    OrderColumn,
    StateColumn,
    NodeColumn,
    ProgressColumn,
    MessageColumn,
    ElapsedColumn,
    EtaColumn,
    UserColumn,
    ColumnCount
  };
  enum Role {
    ProgressRole = Qt::UserRole + 1, // double 0..1, or invalid while unknown
    RunIdRole,                       // QString
    EndedRole,                       // bool: the run has ended and is about to leave
    StartedByRole,                   // QString: the user who started the run
    CorrelationIdRole,               // QString: the run's correlation id
  };
  enum class State { Running, Waiting, Completed, Failed, Cancelled };

  // How long an ended run stays on show.
  static constexpr int kEndedLingerMs = 3000;

  explicit RunsModel(ConsoleSession& session, QObject* parent = nullptr);

  [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
  [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                    int role = Qt::DisplayRole) const override;

  // Reloads the runs from the engine (a model reset when the answer arrives).
  void refresh();
  // True once the first load is shown.
  [[nodiscard]] bool isLoaded() const { return m_loaded; }
  // The row of the run, or -1 when it is not shown.
  [[nodiscard]] int rowOf(const QString& runId) const;
  [[nodiscard]] QString runIdAt(int row) const;
  // Whether the elapsed and ETA columns tick (the view stops them while hidden).
  void setClockRunning(bool running);

signals:
  void loaded();

private:
  struct LiveRun {
    QString runId;
    QString operation;
    QString order;
    QString user;
    QString correlationId;
    State state = State::Running;
    QString node;
    QString subRunId;   // the sub-run working for it, when one is
    QString subRunStep; // "demo.notify: send" while that sub-run works
    std::optional<double> runFraction;  // structural: of the whole run
    std::optional<double> nodeFraction; // the handler's report, of the current node
    QString message;
    std::optional<qint64> etaMs;
    qint64 etaReportedAtMs = 0;
    qint64 startedAtMs = 0;
    std::optional<qint64> endedAtMs;

    // A new node (of the run or of its sub-run): its handler has reported nothing yet.
    void enterNode();
    // A handler's report: fraction of its node, message and ETA.
    void takeHandlerProgress(const RunEvent& event);
  };

  void applySnapshot(const std::vector<engine::RunRecord>& records);
  void apply(const RunEvent& event);
  void applyToSubRun(const RunEvent& event, LiveRun& root);
  void append(LiveRun run);
  void end(LiveRun& run, State state, const RunEvent& event);
  void rowChanged(int row);
  // An event about a run not shown: look it up once (a run resumed by a supervisor's
  // decision has no Started event), unless it is known not to be shown.
  void unknownRun(const RunEvent& event);
  void lookUp(const QString& runId);
  [[nodiscard]] static LiveRun liveRunOf(const engine::RunRecord& record);
  static void showProgress(const engine::RunRecord& record, LiveRun& shown);
  // Folds a sub-run into the top-level run it works for; that run's row, or -1 when it is not shown.
  int foldSubRun(const engine::RunRecord& record);
  void removeEndedRows();
  void reindexRows(); // m_rowOf from m_runs
  void tick();
  void updateClock();
  [[nodiscard]] QString displayText(const LiveRun& run, int column) const;
  [[nodiscard]] QString stateText(const LiveRun& run) const;
  // The handler's progress of the current node when it reports one, else the run's.
  [[nodiscard]] static std::optional<double> fractionOf(const LiveRun& run);
  [[nodiscard]] std::optional<qint64> etaLeftMs(const LiveRun& run) const;
  [[nodiscard]] LiveRun* rootRunOf(const QString& runId);

  ConsoleSession& m_session;
  std::vector<LiveRun> m_runs;
  struct SubRun {
    QString rootId; // the top-level run it works for
    QString operation;
  };

  QHash<QString, int> m_rowOf;       // top-level run id -> row
  QHash<QString, SubRun> m_subRuns;  // sub-run id -> what it works for
  QSet<QString> m_lookingUp;            // unknown runs being looked up
  QSet<QString> m_endedWhileLookingUp;  // of those, the ones that ended meanwhile
  QSet<QString> m_notShown;             // looked up and not to be shown (not the engine's)
  std::vector<RunEvent> m_pendingEvents; // arrived while a load was under way
  bool m_loading = false;
  bool m_loaded = false;
  quint64 m_generation = 0;
  bool m_clockRunning = true;
  QTimer m_clock;
  QTimer m_sweep;
};

} // namespace opflow::ui
