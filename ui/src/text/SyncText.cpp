#include "opflow/ui/text/SyncText.h"

#include "text/QtText.h"

#include "opflow/ui/text/OrderText.h"

#include <QCoreApplication>
#include <QDateTime>

namespace opflow::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("SyncText", text); }

} // namespace

QString clockText(std::int64_t utcMs) {
  const QDateTime at = QDateTime::fromMSecsSinceEpoch(utcMs).toLocalTime();
  return at.date() == QDate::currentDate() ? at.toString(QStringLiteral("HH:mm:ss"))
                                           : at.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString syncStateText(const sync::SyncStatus& status) {
  QString state;
  switch (status.link) {
  case sync::SyncLink::NotJoined:
    return tr("Not joined to a shop");
  case sync::SyncLink::Connecting:
    state = tr("Connecting to the shop…");
    break;
  case sync::SyncLink::Online:
    state = tr("Online");
    break;
  case sync::SyncLink::Syncing:
    state = tr("Syncing…");
    break;
  case sync::SyncLink::Offline:
    state = status.offlineSinceMs ? tr("Offline since %1").arg(clockText(*status.offlineSinceMs)) : tr("Offline");
    break;
  case sync::SyncLink::Stopped:
    state = tr("Sync stopped");
    break;
  }
  state += tr(" · %1 waiting").arg(countText(status.pending));
  if (status.conflictsOpen > 0) {
    state += status.conflictsOpen == 1 ? tr(" · 1 conflict") : tr(" · %1 conflicts").arg(countText(status.conflictsOpen));
  }
  return state;
}

QString syncDetailText(const sync::SyncStatus& status) {
  if (status.link == sync::SyncLink::NotJoined) {
    return tr("This workstation works on its own: join it to a shared database with "
              "`opflow-cli shared init TARGET --as ADMIN`.");
  }
  QStringList lines;
  lines << tr("Workstation %1 of %2").arg(qt(status.workstation), qt(status.shared));
  lines << (status.lastContactMs ? tr("Last contact %1").arg(clockText(*status.lastContactMs))
                                 : tr("No contact yet"));
  if (status.pending > 0 && status.oldestPendingMs) {
    lines << tr("%1 events wait to go up, the oldest made %2")
                 .arg(countText(status.pending), clockText(*status.oldestPendingMs));
  }
  if (status.refused > 0) {
    lines << tr("%1 events were refused by the shop: see `opflow-cli sync status`").arg(countText(status.refused));
  }
  if (status.link == sync::SyncLink::Offline && status.retryAtMs) {
    lines << tr("Work goes on here; the next try is at %1").arg(clockText(*status.retryAtMs));
  }
  if (!status.lastError.empty()) {
    lines << tr("Last error: %1 (correlation id %2)").arg(qt(status.lastError), qt(status.lastErrorCorrelationId));
  }
  return lines.join(QLatin1Char('\n'));
}

QString syncRoundText(const sync::SyncRound& round) {
  if (!round.error.empty()) {
    return round.offline ? tr("offline: %1").arg(qt(round.error)) : tr("failed: %1").arg(qt(round.error));
  }
  const sync::SyncReport& report = round.report;
  QStringList parts{tr("pushed %1").arg(countText(report.pushed)), tr("pulled %1").arg(countText(report.pulled))};
  if (report.conflicts > 0) {
    parts << tr("conflicts %1").arg(countText(report.conflicts));
  }
  if (report.refused > 0) {
    parts << tr("refused %1").arg(countText(report.refused));
  }
  return parts.join(QStringLiteral(", "));
}

QString conflictText(const sync::SyncConflict& conflict) {
  const Json& payload = conflict.change;
  const Json change = payload.is_object() ? payload.value("change", payload) : Json::object();
  const QString who = qt(change.is_object() ? change.value("user", std::string()) : std::string());
  const QString action = qt(change.is_object() ? change.value("action", std::string()) : std::string());
  const QString what = action.isEmpty() ? qt(conflict.kind) : action;
  const QString made = who.isEmpty() ? tr("A change (%1) of %2").arg(what, qt(conflict.subject))
                                     : tr("%1's change (%2) of %3").arg(who, what, qt(conflict.subject));
  const QString verdict = conflict.outcome == "refused" ? tr("was refused by the shop") : tr("was not taken by the shop");
  return tr("%1, made here %2, %3: %4").arg(made, clockText(conflict.createdAtMs), verdict, qt(conflict.reason));
}

} // namespace opflow::ui
