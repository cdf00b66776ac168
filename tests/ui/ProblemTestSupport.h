// Test support for the problems the console shows: what a message label reads without
// markup, the reference it shows, and what that reference finds in the audit log and in
// the log file that LogCapture writes beside the database while a test runs.
// Thread-safety: used from the test's (GUI) thread.
#pragma once

#include "opflow/observe/Log.h"
#include "opflow/store/AuditLog.h"
#include "opflow/store/LocalStore.h"

#include <QLabel>
#include <QRegularExpression>
#include <QString>
#include <QTextDocumentFragment>

#include <string>
#include <vector>

namespace opflow::uitest {

// What `label` shows, as a person reads it.
[[nodiscard]] inline QString plainTextOf(const QLabel* label) {
  return label->textFormat() == Qt::RichText ? QTextDocumentFragment::fromHtml(label->text()).toPlainText()
                                             : label->text();
}

// The reference a problem shown on `label` names ("Reference <id>: ..."); empty without one.
[[nodiscard]] inline QString referenceShownBy(const QLabel* label) {
  static const QRegularExpression reference(QStringLiteral("Reference (\\S+):"));
  return reference.match(plainTextOf(label)).captured(1);
}

// The audit entries under `correlationId`, chain order.
[[nodiscard]] inline std::vector<store::AuditEntry> auditedUnder(store::LocalStore& store,
                                                                 const std::string& correlationId) {
  auto reader = store.readers().acquire();
  if (!reader) {
    return {};
  }
  store::AuditQuery query;
  query.correlationId = correlationId;
  auto entries = store::queryAudit(**reader, query);
  return entries ? *entries : std::vector<store::AuditEntry>{};
}

// Logs at debug level to the database's log file while it lives (as the console does).
class LogCapture {
public:
  explicit LogCapture(const QString& databasePath) : m_databasePath(databasePath.toStdString()) {
    m_started = observe::startLogging({.filePath = observe::logFileOf(m_databasePath),
                                       .level = observe::LogLevel::Debug})
                    .ok();
  }
  ~LogCapture() { observe::stopLogging(); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  [[nodiscard]] bool started() const { return m_started; }
  // Every line logged under `correlationId` so far (the queue is written out first).
  [[nodiscard]] std::vector<Json> linesUnder(const std::string& correlationId) {
    observe::stopLogging();
    auto lines = observe::readLog(m_databasePath, {correlationId, {}, observe::LogLevel::Debug});
    m_started = observe::startLogging({.filePath = observe::logFileOf(m_databasePath),
                                       .level = observe::LogLevel::Debug})
                    .ok();
    return lines ? *lines : std::vector<Json>{};
  }

private:
  std::string m_databasePath;
  bool m_started = false;
};

} // namespace opflow::uitest
