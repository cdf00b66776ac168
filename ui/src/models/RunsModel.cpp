#include "opflow/ui/models/RunsModel.h"

#include "text/QtText.h"

#include "opflow/store/SqliteRunStore.h"
#include "opflow/ui/bridge/ConsoleSession.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace opflow::ui {

namespace {


qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

// "0:07", "12:34", "1:02:03".
QString durationText(qint64 ms) {
  const qint64 seconds = std::max<qint64>(0, ms) / 1000;
  const QChar zero(u'0');
  if (seconds < 3600) {
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, zero);
  }
  return QStringLiteral("%1:%2:%3")
      .arg(seconds / 3600)
      .arg(seconds / 60 % 60, 2, 10, zero)
      .arg(seconds % 60, 2, 10, zero);
}

QString localTime(qint64 utcMs) { return QDateTime::fromMSecsSinceEpoch(utcMs).toString(QStringLiteral("HH:mm:ss")); }

// What a parked run waits for, in words.
QString waitText(const QString& signal, std::optional<qint64> wakeAtMs) {
  if (!signal.isEmpty()) {
    return wakeAtMs ? RunsModel::tr("waits for “%1” (until %2)").arg(signal, localTime(*wakeAtMs))
                    : RunsModel::tr("waits for “%1”").arg(signal);
  }
  if (wakeAtMs) {
    return RunsModel::tr("waits until %1").arg(localTime(*wakeAtMs));
  }
  return RunsModel::tr("waits for a sub-operation");
}

QString waitText(const engine::RunRecord& record) {
  return waitText(qt(record.awaitedSignal),
                  record.wakeAt ? std::optional<qint64>(store::toMs(*record.wakeAt)) : std::nullopt);
}

QString orderOf(const engine::RunRecord& record) {
  auto found = record.inputs.find("order");
  return found != record.inputs.end() && found->is_string() ? qt(found->get<std::string>()) : QString();
}

bool isTerminal(RunEvent::Kind kind) {
  return kind == RunEvent::Kind::Completed || kind == RunEvent::Kind::Failed || kind == RunEvent::Kind::Cancelled;
}

} // namespace

void RunsModel::LiveRun::enterNode() {
  nodeFraction.reset();
  message.clear();
  etaMs.reset();
}

void RunsModel::LiveRun::takeHandlerProgress(const RunEvent& event) {
  nodeFraction = event.fraction;
  message = event.message;
  etaMs = event.etaMs;
  etaReportedAtMs = event.atMs;
}

RunsModel::RunsModel(ConsoleSession& session, QObject* parent) : QAbstractTableModel(parent), m_session(session) {
  m_clock.setInterval(1000);
  connect(&m_clock, &QTimer::timeout, this, &RunsModel::tick);
  m_sweep.setSingleShot(true);
  connect(&m_sweep, &QTimer::timeout, this, &RunsModel::removeEndedRows);
  connect(&session.events(), &RunEventBridge::runEvent, this, &RunsModel::apply);
}

int RunsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RunsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const LiveRun& run = m_runs[static_cast<std::size_t>(index.row())];
  switch (role) {
  case Qt::DisplayRole:
    return displayText(run, index.column());
  case Qt::ToolTipRole:
    return index.column() == MessageColumn && !run.message.isEmpty()
               ? run.message
               : tr("Run %1 of %2").arg(run.runId, run.operation);
  case Qt::TextAlignmentRole:
    return index.column() == ElapsedColumn || index.column() == EtaColumn
               ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
               : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
  case Qt::ForegroundRole:
    if (run.endedAtMs) {
      return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
    }
    return {};
  case ProgressRole: {
    std::optional<double> fraction = fractionOf(run);
    return fraction ? QVariant(*fraction) : QVariant();
  }
  case RunIdRole:
    return run.runId;
  case EndedRole:
    return run.endedAtMs.has_value();
  case StartedByRole:
    return run.user;
  case CorrelationIdRole:
    return run.correlationId;
  default:
    return {};
  }
}

QString RunsModel::displayText(const LiveRun& run, int column) const {
  switch (column) {
  case OperationColumn:
    return run.operation;
  case OrderColumn:
    return run.order;
  case StateColumn:
    return stateText(run);
  case NodeColumn:
    return run.subRunStep.isEmpty() ? run.node : tr("%1 › %2").arg(run.node, run.subRunStep);
  case ProgressColumn: {
    std::optional<double> fraction = fractionOf(run);
    return fraction ? tr("%1%").arg(qRound(*fraction * 100)) : QString();
  }
  case MessageColumn:
    return run.message;
  case ElapsedColumn:
    return durationText(run.endedAtMs.value_or(nowMs()) - run.startedAtMs);
  case EtaColumn: {
    std::optional<qint64> left = etaLeftMs(run);
    return left ? tr("≈ %1").arg(durationText(*left)) : tr("—");
  }
  case UserColumn:
    return run.user;
  default:
    return {};
  }
}

QString RunsModel::stateText(const LiveRun& run) const {
  switch (run.state) {
  case State::Running:
    return tr("running");
  case State::Waiting:
    return tr("waiting");
  case State::Completed:
    return tr("completed");
  case State::Failed:
    return tr("failed");
  case State::Cancelled:
    return tr("cancelled");
  }
  return {};
}

std::optional<double> RunsModel::fractionOf(const LiveRun& run) {
  if (run.state == State::Completed) {
    return 1.0;
  }
  return run.nodeFraction ? run.nodeFraction : run.runFraction;
}

std::optional<qint64> RunsModel::etaLeftMs(const LiveRun& run) const {
  if (!run.etaMs || run.endedAtMs) {
    return std::nullopt;
  }
  return std::max<qint64>(0, *run.etaMs - (nowMs() - run.etaReportedAtMs));
}

QVariant RunsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
  case OperationColumn:
    return tr("Operation");
  case OrderColumn:
    return tr("Order");
  case StateColumn:
    return tr("State");
  case NodeColumn:
    return tr("Current node");
  case ProgressColumn:
    return tr("Progress");
  case MessageColumn:
    return tr("Message");
  case ElapsedColumn:
    return tr("Elapsed");
  case EtaColumn:
    return tr("ETA");
  case UserColumn:
    return tr("User");
  default:
    return {};
  }
}

void RunsModel::refresh() {
  const quint64 generation = ++m_generation;
  m_loading = true;
  engine::Engine& engine = m_session.host().engine();
  m_session.background().run(
      this, [&engine] { return engine.activeRuns(); },
      [this, generation](std::vector<engine::RunRecord> records) {
        if (generation != m_generation) {
          return; // a later refresh() asked again
        }
        applySnapshot(records);
        m_loading = false;
        std::vector<RunEvent> pending;
        pending.swap(m_pendingEvents);
        for (const RunEvent& event : pending) {
          apply(event);
        }
        if (!m_loaded) {
          m_loaded = true;
          emit loaded();
        }
      });
}

int RunsModel::rowOf(const QString& runId) const { return m_rowOf.value(runId, -1); }

QString RunsModel::runIdAt(int row) const {
  return row >= 0 && row < rowCount() ? m_runs[static_cast<std::size_t>(row)].runId : QString();
}

void RunsModel::setClockRunning(bool running) {
  m_clockRunning = running;
  updateClock();
}

void RunsModel::applySnapshot(const std::vector<engine::RunRecord>& records) {
  beginResetModel();
  m_runs.clear();
  m_rowOf.clear();
  m_subRuns.clear();
  for (const engine::RunRecord& record : records) {
    const bool live = record.state == engine::RunState::Running || record.state == engine::RunState::Waiting;
    if (record.parentId.empty() && live) {
      m_rowOf.insert(qt(record.id.str()), static_cast<int>(m_runs.size()));
      m_runs.push_back(liveRunOf(record));
    }
  }
  // Sub-runs come after their parents (run ids are time-ordered), so a parent sub-run is
  // known before its own sub-runs, and the deepest working one is folded in last.
  for (const engine::RunRecord& record : records) {
    if (!record.parentId.empty()) {
      foldSubRun(record);
    }
  }
  endResetModel();
  updateClock();
}

RunsModel::LiveRun RunsModel::liveRunOf(const engine::RunRecord& record) {
  LiveRun run;
  run.runId = qt(record.id.str());
  run.operation = qt(record.operation);
  run.order = orderOf(record);
  run.user = qt(record.context.user);
  run.correlationId = qt(record.context.correlationId);
  run.state = record.state == engine::RunState::Waiting ? State::Waiting : State::Running;
  run.node = qt(record.currentNode);
  run.startedAtMs = store::toMs(record.createdAt);
  if (run.state == State::Waiting) {
    run.message = waitText(record);
  }
  showProgress(record, run);
  return run;
}

void RunsModel::showProgress(const engine::RunRecord& record, LiveRun& shown) {
  if (record.progress && record.progress->node == record.currentNode) {
    shown.nodeFraction = record.progress->fraction;
    shown.message = qt(record.progress->message);
    shown.etaMs = record.progress->etaMs;
    shown.etaReportedAtMs = store::toMs(record.progress->reportedAt);
  }
}

int RunsModel::foldSubRun(const engine::RunRecord& record) {
  LiveRun* root = rootRunOf(qt(record.parentId.str()));
  if (!root) {
    return -1;
  }
  const QString subRunId = qt(record.id.str());
  m_subRuns.insert(subRunId, {root->runId, qt(record.operation)});
  root->subRunId = subRunId;
  root->subRunStep = tr("%1: %2").arg(qt(record.operation), qt(record.currentNode));
  root->enterNode();
  if (record.state == engine::RunState::Waiting) {
    root->message = tr("%1 %2").arg(qt(record.operation), waitText(record));
  }
  showProgress(record, *root);
  return m_rowOf.value(root->runId);
}

void RunsModel::lookUp(const QString& runId) {
  m_lookingUp.insert(runId);
  engine::Engine& engine = m_session.host().engine();
  m_session.background().run(
      this, [&engine, id = runId.toStdString()] { return engine.runRecord(engine::RunId(id)); },
      [this, runId](std::optional<engine::RunRecord> record) {
        m_lookingUp.remove(runId);
        const bool endedMeanwhile = m_endedWhileLookingUp.remove(runId);
        if (!record) {
          m_notShown.insert(runId); // not the engine's: its further events are ignored
          return;
        }
        // A load under way answers for it too; if it does not, the run's next event asks again.
        if (endedMeanwhile || engine::isTerminal(record->state) || m_rowOf.contains(runId) ||
            m_subRuns.contains(runId) || m_loading) {
          return;
        }
        if (!record->parentId.empty()) {
          if (int row = foldSubRun(*record); row >= 0) {
            rowChanged(row);
            return;
          }
        }
        append(liveRunOf(*record)); // an interrupted run a supervisor let go on shows as running
      });
}

void RunsModel::apply(const RunEvent& event) {
  if (m_loading) {
    m_pendingEvents.push_back(event);
    return;
  }
  if (event.kind == RunEvent::Kind::Rejected) {
    return;
  }
  if (event.kind == RunEvent::Kind::Started) {
    if (m_rowOf.contains(event.runId) || m_subRuns.contains(event.runId)) {
      return; // replayed over a load that already has it
    }
    if (event.parentRunId.isEmpty()) {
      LiveRun run;
      run.runId = event.runId;
      run.operation = event.operation;
      run.order = event.order;
      run.user = event.user;
      run.correlationId = event.correlationId;
      run.startedAtMs = event.atMs;
      append(std::move(run));
      return;
    }
    LiveRun* root = rootRunOf(event.parentRunId);
    if (!root) {
      unknownRun(event);
      return;
    }
    m_subRuns.insert(event.runId, {root->runId, event.operation});
    root->subRunId = event.runId;
    root->subRunStep = event.operation;
    rowChanged(m_rowOf.value(root->runId));
    return;
  }
  auto row = m_rowOf.find(event.runId);
  if (row == m_rowOf.end()) {
    if (LiveRun* root = rootRunOf(event.runId)) {
      applyToSubRun(event, *root);
    } else {
      unknownRun(event);
    }
    return;
  }
  LiveRun& run = m_runs[static_cast<std::size_t>(*row)];
  if (run.endedAtMs) {
    return;
  }
  switch (event.kind) {
  case RunEvent::Kind::StepEntered:
    run.state = State::Running;
    run.node = event.node;
    run.enterNode();
    break;
  case RunEvent::Kind::Progress:
    if (event.structural) {
      run.runFraction = event.fraction;
    } else {
      run.takeHandlerProgress(event);
    }
    break;
  case RunEvent::Kind::Waiting:
    run.state = State::Waiting;
    if (!event.node.isEmpty()) {
      run.node = event.node;
    }
    run.message = waitText(event.signal, event.wakeAtMs);
    break;
  case RunEvent::Kind::Completed:
    end(run, State::Completed, event);
    break;
  case RunEvent::Kind::Failed:
    end(run, State::Failed, event);
    break;
  case RunEvent::Kind::Cancelled:
    end(run, State::Cancelled, event);
    break;
  default:
    return; // StepFinished changes nothing shown
  }
  rowChanged(*row);
}

void RunsModel::applyToSubRun(const RunEvent& event, LiveRun& root) {
  const SubRun subRun = m_subRuns.value(event.runId);
  switch (event.kind) {
  case RunEvent::Kind::StepEntered:
    root.subRunId = event.runId;
    root.subRunStep = tr("%1: %2").arg(subRun.operation, event.node);
    root.enterNode();
    break;
  case RunEvent::Kind::Progress:
    if (event.structural) {
      return; // of the sub-run, not of the run shown
    }
    root.takeHandlerProgress(event);
    break;
  case RunEvent::Kind::Waiting:
    root.message = tr("%1 %2").arg(subRun.operation, waitText(event.signal, event.wakeAtMs));
    break;
  case RunEvent::Kind::Completed:
  case RunEvent::Kind::Failed:
  case RunEvent::Kind::Cancelled:
    m_subRuns.remove(event.runId);
    if (root.subRunId == event.runId) {
      root.subRunId.clear();
      root.subRunStep.clear();
      root.enterNode();
    }
    break;
  default:
    return;
  }
  rowChanged(m_rowOf.value(root.runId));
}

RunsModel::LiveRun* RunsModel::rootRunOf(const QString& runId) {
  auto subRun = m_subRuns.constFind(runId);
  const QString rootId = subRun != m_subRuns.constEnd() ? subRun->rootId : runId;
  auto row = m_rowOf.constFind(rootId);
  return row == m_rowOf.constEnd() ? nullptr : &m_runs[static_cast<std::size_t>(*row)];
}

void RunsModel::append(LiveRun run) {
  const int row = static_cast<int>(m_runs.size());
  beginInsertRows({}, row, row);
  m_rowOf.insert(run.runId, row);
  m_runs.push_back(std::move(run));
  endInsertRows();
  updateClock();
}

void RunsModel::end(LiveRun& run, State state, const RunEvent& event) {
  run.state = state;
  run.endedAtMs = event.atMs;
  run.subRunId.clear();
  run.subRunStep.clear();
  run.etaMs.reset();
  if (state == State::Failed) {
    run.message = event.error;
  }
  if (!m_sweep.isActive()) {
    m_sweep.start(kEndedLingerMs);
  }
}

void RunsModel::rowChanged(int row) { emit dataChanged(index(row, 0), index(row, ColumnCount - 1)); }

void RunsModel::unknownRun(const RunEvent& event) {
  if (isTerminal(event.kind)) {
    m_notShown.remove(event.runId);
    if (m_lookingUp.contains(event.runId)) {
      m_endedWhileLookingUp.insert(event.runId);
    }
    return;
  }
  if (!m_lookingUp.contains(event.runId) && !m_notShown.contains(event.runId)) {
    lookUp(event.runId);
  }
}

void RunsModel::reindexRows() {
  m_rowOf.clear();
  for (std::size_t row = 0; row < m_runs.size(); ++row) {
    m_rowOf.insert(m_runs[row].runId, static_cast<int>(row));
  }
}

void RunsModel::removeEndedRows() {
  const qint64 now = nowMs();
  auto expired = [now](const LiveRun& run) { return run.endedAtMs && *run.endedAtMs + kEndedLingerMs <= now; };
  // From the bottom up, one removal per block of neighbouring expired rows.
  int last = static_cast<int>(m_runs.size()) - 1;
  while (last >= 0) {
    if (!expired(m_runs[static_cast<std::size_t>(last)])) {
      --last;
      continue;
    }
    int first = last;
    while (first > 0 && expired(m_runs[static_cast<std::size_t>(first - 1)])) {
      --first;
    }
    beginRemoveRows({}, first, last);
    m_runs.erase(m_runs.begin() + first, m_runs.begin() + last + 1);
    // Whoever hears endRemoveRows (a selection, a view's buttons) may ask rowOf() at once.
    reindexRows();
    endRemoveRows();
    last = first - 1;
  }
  std::optional<qint64> nextExpiry;
  for (std::size_t row = 0; row < m_runs.size(); ++row) {
    if (m_runs[row].endedAtMs) {
      qint64 expiry = *m_runs[row].endedAtMs + kEndedLingerMs;
      nextExpiry = nextExpiry ? std::min(*nextExpiry, expiry) : expiry;
    }
  }
  m_subRuns.removeIf([this](const auto& subRun) { return !m_rowOf.contains(subRun.value().rootId); });
  if (nextExpiry) {
    m_sweep.start(static_cast<int>(std::max<qint64>(0, *nextExpiry - now)));
  }
  updateClock();
}

void RunsModel::tick() {
  if (!m_runs.empty()) {
    emit dataChanged(index(0, ElapsedColumn), index(rowCount() - 1, EtaColumn), {Qt::DisplayRole});
  }
}

void RunsModel::updateClock() {
  const bool wanted = m_clockRunning && !m_runs.empty();
  if (wanted && !m_clock.isActive()) {
    m_clock.start();
  } else if (!wanted) {
    m_clock.stop();
  }
}

} // namespace opflow::ui
