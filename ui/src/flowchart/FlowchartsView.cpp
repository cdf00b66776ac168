#include "opflow/ui/flowchart/FlowchartsView.h"

#include "text/QtText.h"
#include "views/ViewParts.h"

#include "opflow/flowchart/FlowchartSvg.h"
#include "opflow/sync/ShopStatistics.h"
#include "opflow/sync/SyncState.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "opflow/ui/flowchart/FlowchartCanvas.h"
#include "opflow/ui/flowchart/FlowchartNodeText.h"
#include "opflow/ui/text/OrderDetailText.h"

#include <QComboBox>
#include <QFileDialog>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace opflow::ui {

// What one load of the view reads on a worker thread.
struct FlowchartSnapshot {
  std::uint64_t generation = 0;
  model::OperationDefinition definition; // drawn: the version, or the merged comparison
  std::optional<flowchart::VersionComparison> comparison;
  std::int64_t comparedWith = 0; // the other version of `comparison`
  flowchart::GeometryPtr geometry;
  std::optional<Error> layoutProblem;
  store::OperationStatistics statistics;
  std::optional<Error> statisticsProblem;
  std::vector<store::RunSummary> runs;
};

// One run's journal, read on a worker thread.
struct RunSnapshot {
  std::uint64_t generation = 0;
  std::optional<engine::RunRecord> run;
  std::vector<engine::StepRecord> steps;
};

namespace {

constexpr std::size_t kRecentRuns = 50;
constexpr int kRunPickerNone = 0;
constexpr double kExportScale = 2; // PNG pixels per point of the drawing
constexpr int kButtonPaddingPx = 28;
constexpr int kSideMinWidthPx = 220;
constexpr int kPanelMinWidthPx = 320;
constexpr int kNameRole = Qt::UserRole + 1;
constexpr int kVersionRole = Qt::UserRole + 2;

FlowchartSnapshot loadSnapshot(host::WorkstationHost& host, flowchart::FlowchartLayout& layout,
                               const std::string& operation, std::int64_t version,
                               std::optional<std::int64_t> compareVersion, FlowchartsView::HistoryScope scope) {
  FlowchartSnapshot snapshot;
  engine::OperationPtr shown = host.catalog().find(operation, version);
  if (!shown) {
    snapshot.layoutProblem = makeError(ErrorCode::NotFound, "the catalog has no version " + std::to_string(version) +
                                                                " of " + operation);
    return snapshot;
  }
  snapshot.definition = shown->definition();
  if (compareVersion) {
    if (engine::OperationPtr other = host.catalog().find(operation, *compareVersion)) {
      const bool otherIsOlder = *compareVersion < version;
      snapshot.comparison = flowchart::compareVersions(otherIsOlder ? other->definition() : shown->definition(),
                                                       otherIsOlder ? shown->definition() : other->definition());
      snapshot.definition = snapshot.comparison->merged;
      snapshot.comparedWith = *compareVersion;
    }
  }
  if (auto laidOut = layout.layout(snapshot.definition)) {
    snapshot.geometry = *laidOut;
  } else {
    snapshot.layoutProblem = laidOut.error();
  }
  const store::StatisticsQuery history{operation, version};
  auto statistics = scope == FlowchartsView::HistoryScope::Shop
                        ? sync::shopNodeStatistics(host.store(), history, sync::kShopReadTimeout)
                        : store::nodeStatistics(host.store(), history);
  if (statistics) {
    snapshot.statistics = std::move(*statistics);
  } else {
    snapshot.statisticsProblem = statistics.error();
  }
  store::RunQuery query;
  query.operation = operation;
  query.limit = kRecentRuns;
  if (auto runs = host.runs().listRuns(query)) {
    snapshot.runs = std::move(*runs);
  }
  return snapshot;
}

RunSnapshot loadRunSnapshot(host::WorkstationHost& host, const std::string& runId) {
  RunSnapshot snapshot;
  const engine::RunId id(runId);
  snapshot.run = host.runs().loadRun(id);
  if (snapshot.run) {
    snapshot.steps = host.runs().loadSteps(id);
  }
  return snapshot;
}

bool isInFlight(engine::RunState state) {
  return state == engine::RunState::Running || state == engine::RunState::Waiting;
}

QString runLabel(const store::RunSummary& run) {
  return QStringLiteral("%1 · v%2 · %3 · %4")
      .arg(localTimeText(run.createdAtMs), QString::number(run.version), QString::fromUtf8(engine::toString(run.state)),
           qt(run.id).left(13));
}

} // namespace

FlowchartsView::FlowchartsView(ConsoleSession& session, QWidget* parent)
    : QWidget(parent), m_session(session), m_layout(std::make_shared<flowchart::FlowchartLayout>()) {
  setObjectName(QStringLiteral("flowchartsView"));
  setAccessibleName(tr("Flowcharts"));

  m_tree = new QTreeWidget(this);
  m_tree->setObjectName(QStringLiteral("operationTree"));
  m_tree->setAccessibleName(tr("Operations and their versions"));
  m_tree->setHeaderLabels({tr("Operation")});
  m_tree->setUniformRowHeights(true);
  buildTree();
  connect(m_tree, &QTreeWidget::currentItemChanged, this, &FlowchartsView::onTreeChanged);

  m_scene = new FlowchartScene(this);
  m_canvas = new FlowchartCanvas(m_scene, this);
  connect(m_scene, &FlowchartScene::nodeSelected, this, &FlowchartsView::showNode);

  m_title = new QLabel(tr("No operation shown"), this);
  m_title->setObjectName(QStringLiteral("flowchartTitle"));
  QFont titleFont = m_title->font();
  titleFont.setBold(true);
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
  m_title->setFont(titleFont);

  m_fit = makeButton(this, QStringLiteral("fit"), tr("&Fit"), tr("Show the whole chart (F)"));
  m_zoomIn = makeButton(this, QStringLiteral("zoomIn"), tr("+"), tr("Zoom in (Ctrl+wheel or +)"));
  m_zoomOut = makeButton(this, QStringLiteral("zoomOut"), tr("−"), tr("Zoom out (Ctrl+wheel or -)"));
  m_zoomIn->setAccessibleName(tr("Zoom in"));
  m_zoomOut->setAccessibleName(tr("Zoom out"));
  for (QPushButton* button : {m_fit, m_zoomIn, m_zoomOut}) {
    button->setMaximumWidth(button->fontMetrics().horizontalAdvance(button->text()) + kButtonPaddingPx);
  }
  connect(m_fit, &QPushButton::clicked, m_canvas, &FlowchartCanvas::fit);
  connect(m_zoomIn, &QPushButton::clicked, m_canvas, &FlowchartCanvas::zoomIn);
  connect(m_zoomOut, &QPushButton::clicked, m_canvas, &FlowchartCanvas::zoomOut);

  m_overlay = new QComboBox(this);
  m_overlay->setObjectName(QStringLiteral("overlay"));
  m_overlay->setAccessibleName(tr("Overlay"));
  m_overlay->setToolTip(tr("Shade the nodes by the time spent in them or by their error rate (history)"));
  m_overlay->addItem(tr("No overlay"));
  m_overlay->addItem(tr("Heat: time"));
  m_overlay->addItem(tr("Heat: errors"));
  connect(m_overlay, &QComboBox::currentIndexChanged, this,
          [this](int index) { setOverlay(static_cast<Overlay>(std::max(index, 0))); });

  m_scope = new QComboBox(this);
  m_scope->setObjectName(QStringLiteral("historyScope"));
  m_scope->setAccessibleName(tr("History of"));
  m_scope->setToolTip(tr("Measure the heat and the node panel over this workstation's runs, or over every "
                         "workstation's ended runs in the shop's shared database"));
  m_scope->addItem(tr("This workstation"));
  m_scope->addItem(tr("The whole shop"));
  connect(m_scope, &QComboBox::currentIndexChanged, this,
          [this](int index) { setHistoryScope(static_cast<HistoryScope>(std::max(index, 0))); });

  m_runs = new QComboBox(this);
  m_runs->setObjectName(QStringLiteral("runPicker"));
  m_runs->setAccessibleName(tr("Run"));
  m_runs->setToolTip(tr("Draw the path of one of the operation's recent runs; a run in flight is followed live"));
  m_runs->setMinimumContentsLength(22);
  m_runs->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  m_runs->addItem(tr("No run"));
  connect(m_runs, &QComboBox::activated, this, [this](int index) { showRun(m_runs->itemData(index).toString()); });

  m_compare = new QComboBox(this);
  m_compare->setObjectName(QStringLiteral("comparePicker"));
  m_compare->setAccessibleName(tr("Compare with"));
  m_compare->setToolTip(tr("Mark what changed from another version of the operation"));
  m_compare->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  // Filled once a chart is drawn: without a minimum its first, empty size hint stays its
  // minimum and a narrow toolbar cuts "No comparison" short.
  m_compare->setMinimumContentsLength(static_cast<int>(tr("No comparison").size()));
  connect(m_compare, &QComboBox::activated, this, [this](int index) {
    const QVariant version = m_compare->itemData(index);
    compareWith(version.isValid() ? std::optional<std::int64_t>(version.toLongLong()) : std::nullopt);
  });

  m_exportPng = makeButton(this, QStringLiteral("exportPng"), tr("PNG…"), tr("Save the chart as drawn as a PNG image"));
  m_exportSvg = makeButton(this, QStringLiteral("exportSvg"), tr("SVG…"), tr("Save the chart as drawn as an SVG file"));
  connect(m_exportPng, &QPushButton::clicked, this, [this] { askExport(false); });
  connect(m_exportSvg, &QPushButton::clicked, this, [this] { askExport(true); });
  connect(this, &FlowchartsView::pngExported, this, [this](const QString& path, const QString& problem) {
    if (problem.isEmpty()) {
      setMessage(tr("Saved %1.").arg(path), false);
    } else {
      showExportProblem(problem);
    }
  });

  auto* toolbar = new QHBoxLayout;
  toolbar->addWidget(m_fit);
  toolbar->addWidget(m_zoomOut);
  toolbar->addWidget(m_zoomIn);
  toolbar->addWidget(m_overlay);
  toolbar->addWidget(m_scope);
  toolbar->addWidget(m_runs);
  toolbar->addWidget(m_compare);
  toolbar->addWidget(new QLabel(tr("Export:"), this));
  toolbar->addWidget(m_exportPng);
  toolbar->addWidget(m_exportSvg);
  toolbar->addStretch(1);

  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("message"));
  m_message->setAccessibleName(tr("Last outcome"));
  m_message->setWordWrap(true);
  m_message->setVisible(false);

  m_legend = new QLabel(this);
  m_legend->setObjectName(QStringLiteral("legend"));
  m_legend->setWordWrap(true);
  m_legend->setVisible(false);

  auto* middle = new QWidget(this);
  auto* middleLayout = new QVBoxLayout(middle);
  middleLayout->setContentsMargins(0, 0, 0, 0);
  middleLayout->addWidget(m_title);
  middleLayout->addLayout(toolbar);
  middleLayout->addWidget(m_message);
  middleLayout->addWidget(m_canvas, 1);
  middleLayout->addWidget(m_legend);

  auto* panel = new QGroupBox(tr("Node"), this);
  panel->setObjectName(QStringLiteral("nodePanel"));
  m_nodeTitle = new QLabel(tr("Click a node to see what it does and what history says about it."), panel);
  m_nodeTitle->setObjectName(QStringLiteral("nodeTitle"));
  m_nodeTitle->setWordWrap(true);
  m_nodeText = new QPlainTextEdit(panel);
  m_nodeText->setObjectName(QStringLiteral("nodeText"));
  m_nodeText->setAccessibleName(tr("The selected node"));
  m_nodeText->setReadOnly(true);
  m_nodeText->setTabChangesFocus(true);
  m_changes = new QPlainTextEdit(panel);
  m_changes->setObjectName(QStringLiteral("changes"));
  m_changes->setAccessibleName(tr("What changed between the versions"));
  m_changes->setReadOnly(true);
  m_changes->setTabChangesFocus(true);
  m_changes->setVisible(false);
  auto* panelLayout = new QVBoxLayout(panel);
  panelLayout->addWidget(m_nodeTitle);
  panelLayout->addWidget(m_nodeText, 2);
  panelLayout->addWidget(m_changes, 1);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(m_tree);
  split->addWidget(middle);
  split->addWidget(panel);
  split->setStretchFactor(0, 0);
  split->setStretchFactor(1, 3);
  split->setStretchFactor(2, 1);
  m_tree->setMinimumWidth(kSideMinWidthPx);
  panel->setMinimumWidth(kPanelMinWidthPx);
  split->setSizes({kSideMinWidthPx, 760, kPanelMinWidthPx});
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(split);

  connect(&m_session.events(), &RunEventBridge::runEvent, this, &FlowchartsView::onRunEvent);
}

FlowchartsView::~FlowchartsView() = default;

void FlowchartsView::buildTree() {
  for (const engine::OperationPtr& latest : m_session.host().catalog().latestVersions()) {
    const model::OperationDefinition& definition = latest->definition();
    auto* item = new QTreeWidgetItem(m_tree, {qt(definition.name)});
    item->setData(0, kNameRole, qt(definition.name));
    item->setToolTip(0, qt(definition.title.empty() ? definition.name : definition.title));
    std::vector<engine::OperationPtr> versions = m_session.host().catalog().versionsOf(definition.name);
    std::sort(versions.begin(), versions.end(),
              [](const engine::OperationPtr& a, const engine::OperationPtr& b) {
                return a->definition().version > b->definition().version;
              });
    for (const engine::OperationPtr& version : versions) {
      const std::int64_t number = version->definition().version;
      auto* child = new QTreeWidgetItem(item, {number == definition.version ? tr("v%1 (latest)").arg(number)
                                                                             : tr("v%1").arg(number)});
      child->setData(0, kNameRole, qt(definition.name));
      child->setData(0, kVersionRole, QVariant::fromValue<qlonglong>(number));
    }
  }
}

void FlowchartsView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  showFirstIfNone();
}

void FlowchartsView::showFirstIfNone() {
  if (!m_requested && m_tree->topLevelItemCount() > 0) {
    showOperation(m_tree->topLevelItem(0)->data(0, kNameRole).toString());
  }
}

bool FlowchartsView::showOperation(const QString& operation, std::optional<std::int64_t> version, const QString& runId) {
  engine::OperationPtr found = version ? m_session.host().catalog().find(operation.toStdString(), *version)
                                       : m_session.host().catalog().latest(operation.toStdString());
  if (!found) {
    const QString missing = version
                                ? tr("There is no version %1 of operation \"%2\".").arg(QString::number(*version), operation)
                                : tr("There is no operation \"%1\".").arg(operation);
    showFailure("flowchart.open", makeError(ErrorCode::NotFound, missing.toStdString()), missing);
    return false;
  }
  m_requested = true;
  const bool sameOperation = operation == m_operation;
  m_operation = operation;
  m_version = found->definition().version;
  if (!sameOperation || m_compareVersion == m_version) {
    m_compareVersion.reset();
  }
  cancelRunRead();
  m_runId.clear();
  m_following = false;
  m_path.clear();
  m_pendingRun = runId;
  selectTreeItem();
  refresh();
  return true;
}

void FlowchartsView::selectTreeItem() {
  const QSignalBlocker quiet(m_tree);
  for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
    QTreeWidgetItem* top = m_tree->topLevelItem(i);
    if (top->data(0, kNameRole).toString() != m_operation) {
      continue;
    }
    for (int j = 0; j < top->childCount(); ++j) {
      if (top->child(j)->data(0, kVersionRole).toLongLong() == m_version) {
        top->setExpanded(true);
        m_tree->setCurrentItem(top->child(j));
        return;
      }
    }
  }
}

void FlowchartsView::onTreeChanged() {
  QTreeWidgetItem* item = m_tree->currentItem();
  if (!item) {
    return;
  }
  const QVariant version = item->data(0, kVersionRole);
  showOperation(item->data(0, kNameRole).toString(),
                version.isValid() ? std::optional<std::int64_t>(version.toLongLong()) : std::nullopt);
}

void FlowchartsView::refresh() {
  if (m_operation.isEmpty()) {
    return;
  }
  const std::uint64_t generation = ++m_generation;
  m_latestGeneration->store(generation);
  host::WorkstationHost* host = &m_session.host();
  m_title->setText(tr("%1 v%2 — laying out…").arg(m_operation, QString::number(m_version)));
  m_session.background().run(
      this,
      [host, layout = m_layout, operation = m_operation.toStdString(), version = m_version,
       compare = m_compareVersion, scope = m_scopeKind, generation, latest = m_latestGeneration] {
        FlowchartSnapshot snapshot;
        if (latest->load() == generation) { // else another chart was asked for since: skip the work
          snapshot = loadSnapshot(*host, *layout, operation, version, compare, scope);
        }
        snapshot.generation = generation;
        return snapshot;
      },
      [this](FlowchartSnapshot snapshot) {
        if (snapshot.generation == m_generation) {
          apply(std::move(snapshot));
        }
      });
}

void FlowchartsView::apply(FlowchartSnapshot snapshot) {
  m_definition = std::move(snapshot.definition);
  m_comparison = std::move(snapshot.comparison);
  m_comparedWith = snapshot.comparedWith;
  m_statistics = std::move(snapshot.statistics);
  const QString title = qt(m_definition.title.empty() ? m_definition.name : m_definition.title);
  m_title->setText(m_comparison ? tr("%1 — v%2 compared with v%3")
                                      .arg(title, QString::number(m_version), QString::number(m_comparedWith))
                                : tr("%1 — %2 v%3").arg(title, m_operation, QString::number(m_version)));
  m_scene->setChart(snapshot.geometry);
  m_canvas->fitReadable();
  if (snapshot.layoutProblem) {
    showFailure("flowchart.layout", *snapshot.layoutProblem,
                tr("The chart cannot be drawn: %1").arg(qt(snapshot.layoutProblem->message)));
  } else if (snapshot.statisticsProblem) {
    const QString reason = qt(snapshot.statisticsProblem->message);
    showFailure("flowchart.history", *snapshot.statisticsProblem,
                m_scopeKind == HistoryScope::Shop
                    ? tr("The shop's history is unavailable: %1. Choose this workstation's history, or try again "
                         "when the status bar says online.")
                          .arg(reason)
                    : tr("History could not be read: %1").arg(reason));
  } else {
    setMessage({}, false);
  }

  m_runs->clear();
  m_runs->addItem(tr("No run"));
  for (const store::RunSummary& run : snapshot.runs) {
    m_runs->addItem(runLabel(run), qt(run.id));
  }
  fillComparePicker();
  m_changes->setVisible(m_comparison.has_value());
  if (m_comparison) {
    QStringList lines;
    for (const flowchart::NodeDifference& detail : m_comparison->details) {
      lines << qt(detail.node) + QStringLiteral(": ") + qt(detail.parts);
    }
    m_changes->setPlainText(lines.isEmpty() ? tr("No node differs between the two versions.")
                                            : tr("Changes:\n%1").arg(lines.join(QLatin1Char('\n'))));
    m_scene->setChanges(m_comparison->changes);
  }
  applyOverlay();
  m_nodeTitle->setText(qt(m_definition.title.empty() ? m_definition.name : m_definition.title));
  m_nodeText->setPlainText(flowchartOperationText(m_definition, m_statistics));

  const bool first = !m_loaded;
  m_loaded = true;
  if (first) {
    emit loaded();
  }
  emit chartShown();
  // The run asked for with the chart, else the one shown (or picked while the chart was
  // read): the new chart is drawn without a path.
  const QString run = m_pendingRun.isEmpty() ? m_runId : m_pendingRun;
  m_pendingRun.clear();
  if (!run.isEmpty()) {
    showRun(run);
  }
}

void FlowchartsView::fillComparePicker() {
  m_compare->clear();
  m_compare->addItem(tr("No comparison"));
  for (const engine::OperationPtr& other : m_session.host().catalog().versionsOf(m_operation.toStdString())) {
    const std::int64_t number = other->definition().version;
    if (number != m_version) {
      m_compare->addItem(tr("Compare with v%1").arg(number), QVariant::fromValue<qlonglong>(number));
    }
  }
  m_compare->setEnabled(m_compare->count() > 1);
  const int current = m_comparison ? m_compare->findData(QVariant::fromValue<qlonglong>(m_comparedWith)) : 0;
  if (current <= 0) {
    m_compareVersion.reset(); // as the picker says: a version compared with that is gone is not asked for again
  }
  m_compare->setCurrentIndex(std::max(current, 0));
}

void FlowchartsView::compareWith(std::optional<std::int64_t> version) {
  if (version == m_version) {
    version.reset();
  }
  m_compareVersion = version;
  refresh();
}

void FlowchartsView::setOverlay(Overlay overlay) {
  m_overlayKind = overlay;
  if (m_overlay->currentIndex() != static_cast<int>(overlay)) {
    const QSignalBlocker quiet(m_overlay);
    m_overlay->setCurrentIndex(static_cast<int>(overlay));
  }
  applyOverlay();
}

void FlowchartsView::setHistoryScope(HistoryScope scope) {
  if (m_scope->currentIndex() != static_cast<int>(scope)) {
    const QSignalBlocker quiet(m_scope);
    m_scope->setCurrentIndex(static_cast<int>(scope));
  }
  if (m_scopeKind == scope) {
    return;
  }
  m_scopeKind = scope;
  refresh();
}

void FlowchartsView::applyOverlay() {
  std::map<std::string, double> heat;
  if (m_overlayKind == Overlay::Time) {
    std::int64_t most = 0;
    for (const auto& [name, statistics] : m_statistics.nodes) {
      most = std::max(most, statistics.totalUs);
    }
    for (const auto& [name, statistics] : m_statistics.nodes) {
      heat[name] = most == 0 ? 0.0 : static_cast<double>(statistics.totalUs) / static_cast<double>(most);
    }
  } else if (m_overlayKind == Overlay::Errors) {
    for (const auto& [name, statistics] : m_statistics.nodes) {
      heat[name] = statistics.errorRate();
    }
  }
  m_scene->setHeat(std::move(heat));
  QStringList legend;
  const QString runs = m_scopeKind == HistoryScope::Shop
                           ? tr("the shop's latest %1 ended runs").arg(m_statistics.runsExamined)
                           : tr("the latest %1 runs").arg(m_statistics.runsExamined);
  if (m_overlayKind == Overlay::Time) {
    legend << tr("Heat: share of the time spent in each node over %1 (deepest: the most).").arg(runs);
  } else if (m_overlayKind == Overlay::Errors) {
    legend << tr("Heat: error rate of each node's steps over %1 (deepest: every step).").arg(runs);
  }
  if (!m_runId.isEmpty()) {
    legend << (m_following ? tr("Run %1, followed live: numbers are the steps, the pink outline is where it is now.")
                                 .arg(m_runId.left(13))
                           : tr("Run %1: numbers are the steps, bold edges the way it took.").arg(m_runId.left(13)));
  }
  if (m_comparison) {
    legend << tr("Green: added in the newer version, red dashed: removed, amber: changed.");
  }
  m_legend->setText(legend.join(QStringLiteral("   ")));
  m_legend->setVisible(!legend.isEmpty());
}

void FlowchartsView::cancelRunRead() {
  ++m_runGeneration; // a journal still being read is of a run no longer asked for
  m_runLoading = false;
  m_eventsWhileLoading.clear();
}

void FlowchartsView::showRun(const QString& runId) {
  cancelRunRead();
  m_pendingRun.clear(); // the run asked for now, not one asked for with a chart still being read
  m_runId = runId;
  m_following = false;
  m_path.clear();
  m_scene->setRunPath({});
  m_scene->setLiveNode({});
  const int index = runId.isEmpty() ? kRunPickerNone : m_runs->findData(runId);
  if (index >= 0) {
    m_runs->setCurrentIndex(index);
  }
  applyOverlay();
  if (!runId.isEmpty()) {
    loadRun();
  }
}

void FlowchartsView::loadRun() {
  const std::uint64_t generation = ++m_runGeneration;
  m_runLoading = true;
  m_eventsWhileLoading.clear();
  host::WorkstationHost* host = &m_session.host();
  m_session.background().run(
      this,
      [host, runId = m_runId.toStdString(), generation] {
        RunSnapshot snapshot = loadRunSnapshot(*host, runId);
        snapshot.generation = generation;
        return snapshot;
      },
      [this](RunSnapshot snapshot) {
        if (snapshot.generation == m_runGeneration) {
          applyRun(std::move(snapshot));
        }
      });
}

void FlowchartsView::applyRun(RunSnapshot snapshot) {
  m_runLoading = false;
  std::vector<RunEvent> newer = std::move(m_eventsWhileLoading);
  m_eventsWhileLoading.clear();
  if (!snapshot.run) {
    const QString missing = tr("There is no run %1.").arg(m_runId);
    showFailure("flowchart.show_run", makeError(ErrorCode::NotFound, missing.toStdString()), missing);
    m_runId.clear();
    return;
  }
  const engine::RunRecord& run = *snapshot.run;
  if (qt(run.operation) != m_operation || run.version != m_version) {
    const QString runId = m_runId;
    cancelRunRead();
    m_runId.clear();
    if (!showOperation(qt(run.operation), run.version, runId)) {
      m_runs->setCurrentIndex(kRunPickerNone);
      applyOverlay();
      const QString missing = tr("Run %1 is of %2 v%3, which the catalog no longer has: its path cannot be drawn.")
                                  .arg(runId.left(13), qt(run.operation), QString::number(run.version));
      showProblem(m_message, ConsoleAction::onRun(m_session, "flowchart.show_run", run.id.str(),
                                                  run.context.correlationId)
                                 .failed(makeError(ErrorCode::NotFound, missing.toStdString()), missing));
      m_message->setVisible(true);
    }
    return;
  }
  m_path.clear();
  for (const engine::StepRecord& step : snapshot.steps) {
    m_path.push_back({step.node, step.exit, step.durationUs});
  }
  m_following = isInFlight(run.state);
  if (m_runs->findData(m_runId) < 0) {
    m_runs->addItem(tr("%1 · v%2 · %3")
                        .arg(m_runId.left(13), QString::number(run.version), QString::fromUtf8(engine::toString(run.state))),
                    m_runId);
  }
  m_runs->setCurrentIndex(m_runs->findData(m_runId));
  m_scene->setRunPath(m_path);
  m_scene->setLiveNode(m_following ? run.currentNode : std::string());
  applyOverlay();
  // What the run did while its journal was read, in the engine's order; the steps the
  // journal already holds are dropped by their index.
  for (const RunEvent& event : newer) {
    onRunEvent(event);
  }
  emit runShown();
}

void FlowchartsView::onRunEvent(const RunEvent& event) {
  if (event.kind == RunEvent::Kind::Started && event.operation == m_operation && m_runs->findData(event.runId) < 0) {
    m_runs->insertItem(1, tr("%1 · v%2 · started").arg(event.runId.left(13), QString::number(event.version)), event.runId);
  }
  if (m_runId.isEmpty() || event.runId != m_runId) {
    return;
  }
  if (m_runLoading) {
    m_eventsWhileLoading.push_back(event);
    return;
  }
  switch (event.kind) {
  case RunEvent::Kind::StepEntered:
  case RunEvent::Kind::Waiting:
    if (!m_following) {
      m_following = true;
      applyOverlay(); // the legend says the run is followed live
    }
    m_scene->setLiveNode(event.node.toStdString());
    break;
  case RunEvent::Kind::StepFinished:
    // The engine journals a step before it reports it, so a journal read just now may
    // already hold it.
    if (event.stepIndex >= 0 && static_cast<std::size_t>(event.stepIndex) < m_path.size()) {
      break;
    }
    // A step missing before this one (its event or its journal entry was lost): the
    // journal says what the path is, not a number counted here.
    if (event.stepIndex > 0 && static_cast<std::size_t>(event.stepIndex) > m_path.size()) {
      loadRun();
      break;
    }
    m_path.push_back({event.node.toStdString(), event.exit.toStdString(), event.durationUs});
    m_scene->setRunPath(m_path);
    break;
  case RunEvent::Kind::Completed:
  case RunEvent::Kind::Failed:
  case RunEvent::Kind::Cancelled:
    m_following = false;
    m_scene->setLiveNode({});
    applyOverlay();
    break;
  default:
    break;
  }
}

void FlowchartsView::showNode(const QString& name) {
  const model::Node* node = m_definition.findNode(name.toStdString());
  if (!node) {
    return;
  }
  m_nodeTitle->setText(qt(node->title.empty() ? node->name : node->title));
  auto statistics = m_statistics.nodes.find(node->name);
  QString text = flowchartNodeText(*node, statistics == m_statistics.nodes.end() ? nullptr : &statistics->second,
                                   m_statistics.runsExamined);
  if (m_comparison) {
    auto change = m_comparison->changes.find(node->name);
    if (change != m_comparison->changes.end()) {
      text += tr("\n\nCompared with v%1: %2")
                  .arg(QString::number(m_comparedWith), QString::fromUtf8(flowchart::toString(change->second)));
      const std::string parts = m_comparison->detailOf(node->name);
      if (!parts.empty()) {
        text += QStringLiteral("\n  ") + qt(node->name) + QStringLiteral(": ") + qt(parts);
      }
    }
  }
  m_nodeText->setPlainText(text);
}

QString FlowchartsView::exportPng(const QString& path) {
  if (!m_scene->chart()) {
    return tr("there is no chart to export");
  }
  // The GUI thread only writes the SVG (plain text from the geometry); librsvg draws it on
  // the Background, so the PNG is the CLI's picture and a large one does not freeze the console.
  m_session.background().run(
      this,
      [svg = flowchart::toSvg(*m_scene->chart(), m_scene->svgMarks()), path] {
        const Result<std::string> png = flowchart::svgToPng(svg, kExportScale);
        if (!png) {
          return tr("%1; export the chart as SVG instead").arg(qt(png.error().message));
        }
        QSaveFile file(path); // the old file stays whole until the new one is complete
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(png->data(), static_cast<qint64>(png->size())) != static_cast<qint64>(png->size()) ||
            !file.commit()) {
          return tr("could not write %1: %2").arg(path, file.errorString());
        }
        return QString();
      },
      [this, path](const QString& problem) { emit pngExported(path, problem); });
  return {};
}

QString FlowchartsView::exportSvg(const QString& path) const {
  if (!m_scene->chart()) {
    return tr("there is no chart to export");
  }
  const std::string svg = flowchart::toSvg(*m_scene->chart(), m_scene->svgMarks());
  QSaveFile file(path); // the old file stays whole until the new one is complete
  if (!file.open(QIODevice::WriteOnly) ||
      file.write(svg.data(), static_cast<qint64>(svg.size())) != static_cast<qint64>(svg.size()) || !file.commit()) {
    return tr("could not write %1: %2").arg(path, file.errorString());
  }
  return {};
}

void FlowchartsView::askExport(bool svg) {
  auto* dialog = new QFileDialog(this, svg ? tr("Export the chart as SVG") : tr("Export the chart as PNG"));
  dialog->setObjectName(QStringLiteral("exportDialog"));
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setAcceptMode(QFileDialog::AcceptSave);
  dialog->setNameFilter(svg ? tr("SVG files (*.svg)") : tr("PNG images (*.png)"));
  dialog->setDefaultSuffix(svg ? QStringLiteral("svg") : QStringLiteral("png"));
  dialog->selectFile(QStringLiteral("%1-v%2.%3")
                         .arg(m_operation, QString::number(m_version), svg ? QStringLiteral("svg") : QStringLiteral("png")));
  connect(dialog, &QFileDialog::fileSelected, this, [this, svg](const QString& path) {
    const QString problem = svg ? exportSvg(path) : exportPng(path);
    if (!problem.isEmpty()) {
      showExportProblem(problem);
    } else if (svg) {
      setMessage(tr("Saved %1.").arg(path), false);
    } else {
      setMessage(tr("Saving %1…").arg(path), false); // pngExported says when it is written
    }
  });
  dialog->open();
}

void FlowchartsView::setMessage(const QString& text, bool problem) {
  m_message->setVisible(!text.isEmpty());
  showOutcome(m_message, text, problem);
}

void FlowchartsView::showFailure(std::string action, const Error& error, const QString& shown) {
  showProblem(m_message, ConsoleAction(m_session, std::move(action)).failed(error, shown));
  m_message->setVisible(true);
}

void FlowchartsView::showExportProblem(const QString& problem) {
  showFailure("flowchart.export", makeError(ErrorCode::Io, problem.toStdString()), tr("Not saved: %1").arg(problem));
}

QString FlowchartsView::nodeText() const { return m_nodeText->toPlainText(); }

QString FlowchartsView::changesText() const { return m_comparison ? m_changes->toPlainText() : QString(); }

QString FlowchartsView::message() const { return shownText(m_message); }

} // namespace opflow::ui
