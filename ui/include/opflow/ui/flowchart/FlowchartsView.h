// FlowchartsView: the console's Flowcharts view. On the left the catalog's operations with
// their versions; in the middle the chosen version drawn from its definition (a
// FlowchartScene on a FlowchartCanvas) under a toolbar: Fit and zoom, an overlay (none,
// time spent, error rate, shaded from history), a run of the operation (its path drawn;
// a run in flight is followed live from the engine's events: the node it is in pulses,
// finished steps join the path), a version to compare with (added, removed and changed
// nodes marked, the differences listed), and export to PNG or SVG with the overlays. On
// the right the panel of the clicked node: what it does, its exits and its history.
//
// The history behind the overlay and the node panel is this workstation's runs, or the
// whole shop's (every workstation's ended runs, read from the shared database; offline the
// view says the shop's history is unavailable).
//
// Layouts (Graphviz), statistics and runs are read on the session's Background, never on
// the GUI thread; an answer for something no longer shown is dropped (a generation
// counter).
// Thread-safety: GUI thread only. The session must outlive the view.
#pragma once

#include "opflow/Result.h"
#include "opflow/flowchart/FlowchartLayout.h"
#include "opflow/flowchart/VersionComparison.h"
#include "opflow/model/OperationDefinition.h"
#include "opflow/store/NodeStatistics.h"
#include "opflow/ui/flowchart/FlowchartScene.h"
#include "opflow/ui/bridge/RunEvent.h"

#include <QWidget>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace opflow::ui {

class ConsoleSession;
class FlowchartCanvas;
struct FlowchartSnapshot;
struct RunSnapshot;

class FlowchartsView : public QWidget {
  Q_OBJECT

public:
  enum class Overlay { None, Time, Errors };
  enum class HistoryScope { Workstation, Shop };

  explicit FlowchartsView(ConsoleSession& session, QWidget* parent = nullptr);
  ~FlowchartsView() override;

  // True once the first chart asked for has been drawn (or refused with a message).
  [[nodiscard]] bool isLoaded() const { return m_loaded; }

  // Shows `operation` at `version` (the latest when none) and, with `runId`, that run's
  // path. False, with the view's message saying so, when the catalog has no such
  // operation or version.
  bool showOperation(const QString& operation, std::optional<std::int64_t> version = std::nullopt,
                     const QString& runId = QString());
  // Shows the first operation when none was asked for yet (what showing the view does).
  void showFirstIfNone();
  // Draws the path of run `runId` of the shown operation ("" clears it); a run of another
  // version shows that version.
  void showRun(const QString& runId);
  void setOverlay(Overlay overlay);
  // Whose runs the overlay and the node panel measure; reads the history again.
  void setHistoryScope(HistoryScope scope);
  // Marks the shown version's differences from `version` (none: stop comparing).
  void compareWith(std::optional<std::int64_t> version);

  // Reads the shown version's chart, history and runs again (View > Refresh).
  void refresh();

  // Saves the chart as drawn (overlays included) as a PNG: the SVG export drawn by librsvg
  // at twice its size on the Background (refused, naming the size, when that is too large
  // for a PNG), replacing `path` only once whole; pngExported says how it went. Returns
  // why it did not start, or "".
  [[nodiscard]] QString exportPng(const QString& path);
  // Saves the chart as drawn as an SVG, replacing `path` only once whole; "" or why not.
  [[nodiscard]] QString exportSvg(const QString& path) const;

  [[nodiscard]] QString shownOperation() const { return m_operation; }
  [[nodiscard]] std::int64_t shownVersion() const { return m_version; }
  [[nodiscard]] QString shownRun() const { return m_runId; }
  // The run followed live ("" when the shown run has ended or none is shown).
  [[nodiscard]] QString followedRun() const { return m_following ? m_runId : QString(); }
  [[nodiscard]] FlowchartScene* scene() const { return m_scene; }
  [[nodiscard]] FlowchartCanvas* canvas() const { return m_canvas; }
  [[nodiscard]] QTreeWidget* operationTree() const { return m_tree; }
  [[nodiscard]] QComboBox* runPicker() const { return m_runs; }
  [[nodiscard]] QComboBox* overlayPicker() const { return m_overlay; }
  [[nodiscard]] QComboBox* historyScopePicker() const { return m_scope; }
  [[nodiscard]] HistoryScope historyScope() const { return m_scopeKind; }
  // The history the overlay shades by (of the scope shown).
  [[nodiscard]] const store::OperationStatistics& statistics() const { return m_statistics; }
  [[nodiscard]] QComboBox* comparePicker() const { return m_compare; }
  [[nodiscard]] QString nodeText() const;
  [[nodiscard]] QString changesText() const;
  [[nodiscard]] QString message() const;

signals:
  // The first chart was drawn.
  void loaded();
  // A chart was drawn (after every load).
  void chartShown();
  // A run's path was drawn.
  void runShown();
  // A PNG export ended: written to `path`, or `problem` says why not.
  void pngExported(const QString& path, const QString& problem);

protected:
  void showEvent(QShowEvent* event) override;

private:
  void buildTree();
  void apply(FlowchartSnapshot snapshot);
  void applyRun(RunSnapshot snapshot);
  void loadRun();
  // Drops the answer of a journal read still in flight and the events kept for it.
  void cancelRunRead();
  void applyOverlay();
  void showNode(const QString& name);
  void onRunEvent(const RunEvent& event);
  void onTreeChanged();
  void fillComparePicker();
  void askExport(bool svg);
  void setMessage(const QString& text, bool problem);
  // Shows what stopped the console action `action`, logged under a new reference.
  void showFailure(std::string action, const Error& error, const QString& shown);
  void showExportProblem(const QString& problem);
  void selectTreeItem();

  ConsoleSession& m_session;
  std::shared_ptr<flowchart::FlowchartLayout> m_layout;
  QString m_operation;
  std::int64_t m_version = 0;
  std::optional<std::int64_t> m_compareVersion;
  QString m_runId;
  QString m_pendingRun; // to show once the chart it belongs to is drawn
  bool m_following = false;
  bool m_runLoading = false;
  std::vector<RunEvent> m_eventsWhileLoading; // of the run, while its journal was read
  std::uint64_t m_generation = 0;
  // m_generation as the background tasks read it: a task started for a chart no longer
  // asked for skips its work.
  std::shared_ptr<std::atomic<std::uint64_t>> m_latestGeneration = std::make_shared<std::atomic<std::uint64_t>>(0);
  std::uint64_t m_runGeneration = 0;
  bool m_loaded = false;
  bool m_requested = false;
  Overlay m_overlayKind = Overlay::None;
  HistoryScope m_scopeKind = HistoryScope::Workstation;
  model::OperationDefinition m_definition; // drawn (merged when comparing)
  std::optional<flowchart::VersionComparison> m_comparison;
  std::int64_t m_comparedWith = 0; // the other version of m_comparison, as it was read
  store::OperationStatistics m_statistics;
  std::vector<RunPathStep> m_path;

  QTreeWidget* m_tree = nullptr;
  FlowchartScene* m_scene = nullptr;
  FlowchartCanvas* m_canvas = nullptr;
  QLabel* m_title = nullptr;
  QLabel* m_message = nullptr;
  QPushButton* m_fit = nullptr;
  QPushButton* m_zoomIn = nullptr;
  QPushButton* m_zoomOut = nullptr;
  QComboBox* m_overlay = nullptr;
  QComboBox* m_scope = nullptr;
  QComboBox* m_runs = nullptr;
  QComboBox* m_compare = nullptr;
  QPushButton* m_exportPng = nullptr;
  QPushButton* m_exportSvg = nullptr;
  QLabel* m_nodeTitle = nullptr;
  QPlainTextEdit* m_nodeText = nullptr;
  QPlainTextEdit* m_changes = nullptr;
  QLabel* m_legend = nullptr;
};

} // namespace opflow::ui
