#include "opflow/ui/views/AuditView.h"

#include "text/QtText.h"

#include "opflow/AtomicFile.h"
#include "opflow/ui/models/AuditModel.h"
#include "opflow/sync/SharedAudit.h"
#include "opflow/sync/SyncState.h"
#include "opflow/ui/bridge/ConsoleSession.h"
#include "views/ViewParts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <chrono>

namespace opflow::ui {

namespace {

QLineEdit* makeField(QWidget* parent, const QString& objectName, const QString& accessibleName,
                     const QString& placeholder) {
  auto* field = new QLineEdit(parent);
  field->setObjectName(objectName);
  field->setAccessibleName(accessibleName);
  field->setPlaceholderText(placeholder);
  field->setClearButtonEnabled(true);
  field->setToolTip(AuditView::tr("%1 (Enter applies the filters)").arg(accessibleName));
  return field;
}

QDateTimeEdit* makeTimeField(QWidget* parent, const QString& objectName, const QString& accessibleName) {
  auto* field = new QDateTimeEdit(QDateTime::currentDateTime(), parent);
  field->setObjectName(objectName);
  field->setAccessibleName(accessibleName);
  field->setCalendarPopup(true);
  field->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
  field->setToolTip(AuditView::tr("%1, local time (Enter applies the filters)").arg(accessibleName));
  field->setEnabled(false);
  return field;
}

} // namespace

AuditView::AuditView(ConsoleSession& session, QWidget* parent) : QWidget(parent), m_session(session) {
  setObjectName(QStringLiteral("auditView"));
  m_model = new AuditModel(session, this);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel(tr("<b>Audit log</b> — who did what, when and where; newest first"), this));
  layout->addWidget(buildFilters());

  m_table = makeTable(this, QStringLiteral("auditTable"), tr("Audit entries"));
  m_table->setModel(m_model);
  m_table->setColumnWidth(AuditModel::SeqColumn, 70);
  m_table->setColumnWidth(AuditModel::TimeColumn, 170);
  m_table->setColumnWidth(AuditModel::ActionColumn, 170);
  m_table->setColumnWidth(AuditModel::SubjectColumn, 200);
  m_table->setColumnWidth(AuditModel::ReasonColumn, 220);
  layout->addWidget(m_table, 1);

  auto* bottom = new QHBoxLayout;
  m_result = new QLabel(this);
  m_result->setObjectName(QStringLiteral("auditResult"));
  m_result->setAccessibleName(tr("Audit result"));
  m_result->setWordWrap(true);
  m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
  bottom->addWidget(m_result, 1);
  m_verify = makeButton(this, QStringLiteral("verifyChain"), tr("&Verify chain"),
                        tr("Check every entry's hash and link, from the first (Ctrl+Shift+V)"));
  connect(m_verify, &QPushButton::clicked, this, &AuditView::verifyChain);
  addShortcut(this, {QKeySequence(QStringLiteral("Ctrl+Shift+V"))}, this, [this] { verifyChain(); });
  bottom->addWidget(m_verify);
  if (session.may(domain::Permission::Supervise)) {
    m_export = makeButton(this, QStringLiteral("exportCsv"), tr("&Export CSV…"),
                          tr("Write the entries the filters select to a CSV file (Ctrl+E)"));
    connect(m_export, &QPushButton::clicked, this, &AuditView::chooseExportFile);
    addShortcut(this, {QKeySequence(QStringLiteral("Ctrl+E"))}, this, [this] { chooseExportFile(); });
    bottom->addWidget(m_export);
  }
  layout->addLayout(bottom);

  setTabOrder(m_scope, m_user);
  setTabOrder(m_user, m_action);
  setTabOrder(m_action, m_order);
  setTabOrder(m_order, m_correlation);
  setTabOrder(m_correlation, m_sinceEnabled);
  setTabOrder(m_sinceEnabled, m_since);
  setTabOrder(m_since, m_untilEnabled);
  setTabOrder(m_untilEnabled, m_until);
  setTabOrder(m_until, m_apply);
  setTabOrder(m_apply, m_clear);
  setTabOrder(m_clear, m_table);
  setTabOrder(m_table, m_verify);
  if (m_export) {
    setTabOrder(m_verify, m_export);
  }

  connect(m_model, &AuditModel::pageLoaded, this, [this] {
    selectBrokenEntry();
    if (!m_loaded) {
      m_loaded = true;
      emit loaded();
    }
  });
  connect(m_model, &AuditModel::loadFailed, this, [this](ConsoleProblem problem) {
    problem.text = tr("Cannot read the audit log: %1").arg(problem.text);
    showProblem(m_result, problem);
  });
  m_model->setFilter({});
}

QWidget* AuditView::buildFilters() {
  auto* filters = new QWidget(this);
  filters->setObjectName(QStringLiteral("auditFilters"));
  auto* grid = new QGridLayout(filters);
  grid->setContentsMargins(0, 0, 0, 0);
  m_scope = new QComboBox(filters);
  m_scope->setObjectName(QStringLiteral("auditScope"));
  m_scope->setAccessibleName(tr("Scope"));
  m_scope->setToolTip(tr("This workstation's log, or every workstation's in the shop's shared database"));
  m_scope->addItem(tr("This workstation"), QVariant::fromValue(static_cast<int>(AuditModel::Scope::Workstation)));
  m_scope->addItem(tr("The whole shop"), QVariant::fromValue(static_cast<int>(AuditModel::Scope::Shop)));
  connect(m_scope, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    m_result->clear();
    m_model->setScope(static_cast<AuditModel::Scope>(m_scope->currentData().toInt()));
  });
  m_user = makeField(filters, QStringLiteral("filterUser"), tr("User"), tr("user name"));
  m_action = makeField(filters, QStringLiteral("filterAction"), tr("Action"), tr("e.g. order.status_changed"));
  m_order = makeField(filters, QStringLiteral("filterOrder"), tr("Order"), tr("order number"));
  m_correlation = makeField(filters, QStringLiteral("filterCorrelation"), tr("Correlation id"), tr("correlation id"));
  m_sinceEnabled = new QCheckBox(tr("Since"), filters);
  m_sinceEnabled->setObjectName(QStringLiteral("filterSinceEnabled"));
  m_sinceEnabled->setAccessibleName(tr("Filter from a time"));
  m_since = makeTimeField(filters, QStringLiteral("filterSince"), tr("Since (inclusive)"));
  m_since->setDateTime(QDateTime::currentDateTime().addDays(-1));
  m_untilEnabled = new QCheckBox(tr("Until"), filters);
  m_untilEnabled->setObjectName(QStringLiteral("filterUntilEnabled"));
  m_untilEnabled->setAccessibleName(tr("Filter up to a time"));
  m_until = makeTimeField(filters, QStringLiteral("filterUntil"), tr("Until (exclusive)"));
  connect(m_sinceEnabled, &QCheckBox::toggled, m_since, &QWidget::setEnabled);
  connect(m_untilEnabled, &QCheckBox::toggled, m_until, &QWidget::setEnabled);
  m_apply = makeButton(filters, QStringLiteral("applyFilters"), tr("&Apply"),
                       tr("Show the entries the filters select (Enter)"));
  m_clear = makeButton(filters, QStringLiteral("clearFilters"), tr("C&lear"), tr("Show every entry"));

  auto* scopeCaption = new QLabel(tr("&Scope"), filters);
  scopeCaption->setBuddy(m_scope);
  grid->addWidget(scopeCaption, 0, 0);
  grid->addWidget(m_scope, 1, 0);
  int column = 1;
  for (auto [label, field] : {std::pair{tr("&User"), m_user}, std::pair{tr("Ac&tion"), m_action},
                              std::pair{tr("&Order"), m_order}, std::pair{tr("Co&rrelation"), m_correlation}}) {
    auto* caption = new QLabel(label, filters);
    caption->setBuddy(field);
    grid->addWidget(caption, 0, column);
    grid->addWidget(field, 1, column++);
  }
  grid->addWidget(m_sinceEnabled, 0, column);
  grid->addWidget(m_since, 1, column++);
  grid->addWidget(m_untilEnabled, 0, column);
  grid->addWidget(m_until, 1, column++);
  grid->addWidget(m_apply, 1, column++);
  grid->addWidget(m_clear, 1, column);

  for (QLineEdit* field : {m_user, m_action, m_order, m_correlation}) {
    connect(field, &QLineEdit::returnPressed, this, &AuditView::applyFilters);
  }
  addShortcut(filters, {QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)}, this, [this] { applyFilters(); });
  addShortcut(this, {QKeySequence(QStringLiteral("Ctrl+F"))}, this,
              [this] { m_user->setFocus(Qt::ShortcutFocusReason); });
  connect(m_apply, &QPushButton::clicked, this, &AuditView::applyFilters);
  connect(m_clear, &QPushButton::clicked, this, &AuditView::clearFilters);
  return filters;
}

store::AuditQuery AuditView::filterFromFields() const {
  store::AuditQuery filter;
  filter.user = m_user->text().trimmed().toStdString();
  filter.action = m_action->text().trimmed().toStdString();
  filter.orderNumber = m_order->text().trimmed().toStdString();
  filter.correlationId = m_correlation->text().trimmed().toStdString();
  if (m_sinceEnabled->isChecked()) {
    filter.sinceMs = m_since->dateTime().toMSecsSinceEpoch();
  }
  if (m_untilEnabled->isChecked()) {
    filter.untilMs = m_until->dateTime().toMSecsSinceEpoch();
  }
  return filter;
}

void AuditView::applyFilters() { m_model->setFilter(filterFromFields()); }

void AuditView::clearFilters() {
  for (QLineEdit* field : {m_user, m_action, m_order, m_correlation}) {
    field->clear();
  }
  m_sinceEnabled->setChecked(false);
  m_untilEnabled->setChecked(false);
  applyFilters();
}

void AuditView::showOrder(const QString& number) {
  m_order->setText(number);
  applyFilters();
}

void AuditView::verifyChain() {
  if (m_verifying) {
    return;
  }
  m_verifying = true;
  m_verify->setEnabled(false);
  if (m_model->scope() == AuditModel::Scope::Shop) {
    verifyShop();
    return;
  }
  showOutcome(m_result, tr("Verifying the chain…"), false);
  ConsoleAction verifying(m_session, "audit.verify");
  store::AuditReader reader(m_session.host().store(), m_session.host().workstation().users());
  m_session.background().run(
      this, [reader, who = m_session.auditReader(verifying)]() mutable { return reader.verify(who); },
      [this, verifying](Result<store::AuditVerification> verification) {
        m_verifying = false;
        m_verify->setEnabled(true);
        if (!verification) {
          const QString message = qt(verification.error().describe());
          showProblem(m_result, verifying.failed(verification.error(), tr("Cannot verify the chain: %1").arg(message)));
          emit verifyFailed(message);
          return;
        }
        showVerification(*verification, verifying);
      });
}

void AuditView::showVerification(const store::AuditVerification& verification, const ConsoleAction& verifying) {
  const QLocale locale;
  QString outcome;
  if (verification.chainIntact) {
    m_brokenSeq = 0;
    outcome = tr("Chain intact: %1 entries checked").arg(locale.toString(qlonglong{verification.checked}));
  } else {
    m_brokenSeq = verification.brokenSeq;
    outcome = tr("Broken at entry #%1 (%2): %3")
                  .arg(locale.toString(qlonglong{verification.brokenSeq}), qt(verification.brokenId),
                       qt(verification.reason));
  }
  if (verification.findingCount > 0) {
    const store::IntegrityFinding& first = verification.findings.front();
    outcome += QStringLiteral("\n") + tr("The database disagrees with the chain in %n place(s); first: %1 %2: %3",
                                         nullptr, static_cast<int>(verification.findingCount))
                                         .arg(qt(first.check), qt(first.subject), qt(first.problem));
  }
  showFinding(outcome, verification.intact, verifying);
  selectBrokenEntry();
  emit verified(verification.intact, verification.checked, verification.brokenSeq);
}

void AuditView::verifyShop() {
  showOutcome(m_result, tr("Verifying every workstation's chain in the shop…"), false);
  ConsoleAction verifying(m_session, "audit.verify_shop");
  store::LocalStore* local = &m_session.host().store();
  store::AuditReader reader(*local, m_session.host().workstation().users());
  m_session.background().run(
      this,
      [local, reader, who = m_session.auditReader(verifying)]() mutable {
        return sync::verifyShopAudit(*local, reader, who, sync::kShopReadTimeout);
      },
      [this, verifying](Result<sync::SharedAuditVerification> verification) {
        m_verifying = false;
        m_verify->setEnabled(true);
        if (!verification) {
          const QString message = qt(verification.error().message);
          showProblem(m_result,
                      verifying.failed(verification.error(), tr("Cannot verify the shop's chains: %1").arg(message)));
          emit verifyFailed(message);
          return;
        }
        const QLocale locale;
        QStringList chains;
        qlonglong checked = 0;
        qlonglong brokenSeq = 0;
        for (const sync::WorkstationChain& chain : verification->chains) {
          checked += chain.entries;
          if (chain.intact) {
            chains << tr("%1: %2 entries").arg(qt(chain.workstation), locale.toString(qlonglong{chain.entries}));
          } else {
            brokenSeq = brokenSeq == 0 ? chain.brokenSeq : brokenSeq;
            chains << tr("%1: broken at entry #%2 (%3): %4")
                          .arg(qt(chain.workstation), locale.toString(qlonglong{chain.brokenSeq}), qt(chain.brokenId),
                               qt(chain.reason));
          }
        }
        const bool intact = verification->intact();
        showFinding((intact ? tr("Every workstation's chain in the shop is intact — %1")
                            : tr("A chain in the shop is broken — %1"))
                        .arg(chains.join(QStringLiteral("; "))),
                    intact, verifying);
        emit verified(intact, checked, brokenSeq);
      });
}

void AuditView::showFinding(const QString& outcome, bool intact, const ConsoleAction& verifying) {
  if (intact) {
    verifying.succeeded();
    showOutcome(m_result, outcome, false);
    return;
  }
  showProblem(m_result,
              verifying.failed(makeError(ErrorCode::Conflict, outcome.toStdString()),
                               outcome + tr("\nThe audit log was changed outside Opflow, or a write was lost: keep "
                                            "this database as it is and call your supervisor.")));
}

QString AuditView::resultText() const { return shownText(m_result); }

void AuditView::selectBrokenEntry() {
  if (m_brokenSeq == 0) {
    return;
  }
  if (int row = m_model->rowOfSeq(m_brokenSeq); row >= 0) {
    m_table->selectRow(row);
    m_table->scrollTo(m_model->index(row, 0));
    m_brokenSeq = 0; // selected once; the user may move on
  }
}

void AuditView::chooseExportFile() {
  if (!m_export || m_exporting) {
    return;
  }
  auto* dialog = new QFileDialog(this, tr("Export the audit entries as CSV"), QString(), tr("CSV files (*.csv)"));
  dialog->setObjectName(QStringLiteral("exportDialog"));
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setAcceptMode(QFileDialog::AcceptSave);
  dialog->setDefaultSuffix(QStringLiteral("csv"));
  dialog->selectFile(QStringLiteral("audit-%1.csv").arg(QDate::currentDate().toString(Qt::ISODate)));
  connect(dialog, &QFileDialog::fileSelected, this, [this](const QString& path) { exportCsv(path); });
  dialog->open();
}

bool AuditView::exportCsv(const QString& path) {
  if (!m_session.may(domain::Permission::Supervise) || path.isEmpty() || m_exporting) {
    return false;
  }
  m_exporting = true;
  if (m_export) {
    m_export->setEnabled(false);
  }
  showOutcome(m_result, tr("Exporting to %1…").arg(path), false);
  ConsoleAction exporting(m_session, "audit.export");
  store::LocalStore* local = &m_session.host().store();
  store::AuditReader reader(*local, m_session.host().workstation().users());
  store::AuditQuery query = m_model->filter();
  query.limit = 0;
  const bool shop = m_model->scope() == AuditModel::Scope::Shop;
  m_session.background().run(
      this,
      [local, reader, who = m_session.auditReader(exporting), query, shop, target = path.toStdString()]() mutable {
        return writeFileAtomically(target, [&](std::ostream& out) {
          return shop ? sync::exportShopAudit(*local, reader, who, {query}, out, sync::kShopReadTimeout)
                      : reader.exportTo(who, query, store::AuditExportFormat::Csv, out);
        });
      },
      [this, path, exporting](Status exported) {
        m_exporting = false;
        if (m_export) {
          m_export->setEnabled(true);
        }
        if (!exported) {
          const QString message =
              tr("Export failed, nothing was written: %1").arg(qt(exported.error().describe()));
          showProblem(m_result, exporting.failed(exported.error(), message));
          emit exportFinished(false, message);
          return;
        }
        exporting.succeeded();
        const QString message = tr("Exported to %1").arg(path);
        showOutcome(m_result, message, false);
        emit exportFinished(true, message);
      });
  return true;
}

} // namespace opflow::ui
