#include "views/ViewParts.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTextDocumentFragment>

namespace opflow::ui {

QPushButton* makeButton(QWidget* parent, const QString& objectName, const QString& text, const QString& toolTip) {
  auto* button = new QPushButton(text, parent);
  button->setObjectName(objectName);
  button->setAccessibleName(QString(text).remove(u'&'));
  button->setToolTip(toolTip);
  return button;
}

void addShortcut(QWidget* scope, const QList<QKeySequence>& keys, QObject* receiver, const std::function<void()>& act) {
  auto* action = new QAction(scope);
  action->setShortcuts(keys);
  action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  QObject::connect(action, &QAction::triggered, receiver, act);
  scope->addAction(action);
}

namespace {

constexpr int kRowPaddingPx = 8;
constexpr const char* kReferenceProperty = "problemReference";
constexpr const char* kCopiesReferenceProperty = "copiesProblemReference";

void styleOutcome(QLabel* label, bool warning) {
  label->setStyleSheet(warning ? QStringLiteral("color: #b3261e; font-weight: bold;")
                               : QStringLiteral("color: #1b6e3a;"));
  label->setProperty("warning", warning);
}

} // namespace

QTableView* makeTable(QWidget* parent, const QString& objectName, const QString& accessibleName) {
  auto* table = new QTableView(parent);
  table->setObjectName(objectName);
  table->setAccessibleName(accessibleName);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setAlternatingRowColors(true);
  table->setShowGrid(false);
  table->setWordWrap(false);
  table->setTextElideMode(Qt::ElideRight);
  table->setTabKeyNavigation(false);
  table->verticalHeader()->hide();
  table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + kRowPaddingPx);
  table->horizontalHeader()->setStretchLastSection(true);
  return table;
}

void showOutcome(QLabel* label, const QString& text, bool warning) {
  label->setTextFormat(Qt::PlainText);
  label->setText(text);
  styleOutcome(label, warning);
}

void showProblem(QLabel* label, const ConsoleProblem& problem) {
  label->setProperty(kReferenceProperty, problem.reference);
  if (!label->property(kCopiesReferenceProperty).toBool()) {
    label->setProperty(kCopiesReferenceProperty, true);
    QObject::connect(label, &QLabel::linkActivated, label, [label] {
      QGuiApplication::clipboard()->setText(label->property(kReferenceProperty).toString());
    });
  }
  QString html = problem.fullText().toHtmlEscaped().replace(u'\n', QStringLiteral("<br>"));
  if (!problem.reference.isEmpty()) {
    html += QStringLiteral(" <a href=\"copy-reference\">%1</a>").arg(QLabel::tr("Copy reference"));
  }
  label->setTextFormat(Qt::RichText);
  label->setTextInteractionFlags(Qt::TextBrowserInteraction);
  label->setText(html);
  styleOutcome(label, true);
}

QString shownText(const QLabel* label) {
  return label->textFormat() == Qt::RichText ? QTextDocumentFragment::fromHtml(label->text()).toPlainText()
                                             : label->text();
}

} // namespace opflow::ui
