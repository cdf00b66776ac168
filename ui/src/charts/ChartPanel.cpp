#include "opflow/ui/charts/ChartPanel.h"

#include "views/ViewParts.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QFont>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QPushButton>
#include <QSaveFile>
#include <QToolTip>
#include <QVBoxLayout>

namespace opflow::ui {

ChartPanel::ChartPanel(const QString& objectName, const QString& title, QWidget* parent)
    : QFrame(parent), m_title(title) {
  setObjectName(objectName);
  setAccessibleName(title);
  setFrameShape(QFrame::StyledPanel);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  auto* top = new QHBoxLayout;
  auto* heading = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this);
  auto* png = makeButton(this, objectName + QStringLiteral("Png"), tr("PNG…"), tr("Save this chart as a PNG picture"));
  auto* csv = makeButton(this, objectName + QStringLiteral("Csv"), tr("CSV…"), tr("Save the data of this chart as CSV"));
  top->addWidget(heading, 1);
  top->addWidget(png);
  top->addWidget(csv);
  layout->addLayout(top);

  auto* chart = new QChart;
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setMargins(QMargins(2, 2, 2, 2));
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->legend()->setShowToolTips(true); // an entry cut short shows in full under the pointer
  QFont small = chart->legend()->font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  chart->legend()->setFont(small);
  m_view = new QChartView(chart, this);
  m_view->setObjectName(objectName + QStringLiteral("Chart"));
  m_view->setAccessibleName(title);
  m_view->setRenderHint(QPainter::Antialiasing);
  m_view->setMinimumHeight(220);
  layout->addWidget(m_view, 1);

  m_hover = new QLabel(this);
  m_hover->setObjectName(objectName + QStringLiteral("Hover"));
  m_hover->setAccessibleName(tr("Value under the pointer"));
  m_hover->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_hover->setText(tr("Point at a bar or a point to read its value."));
  layout->addWidget(m_hover);

  connect(png, &QPushButton::clicked, this, [this] { askExport(true); });
  connect(csv, &QPushButton::clicked, this, [this] { askExport(false); });
}

QChart* ChartPanel::chart() const { return m_view->chart(); }

QString ChartPanel::exportPng(const QString& path) const {
  QSaveFile file(path); // the old file stays whole until the new one is complete
  if (!file.open(QIODevice::WriteOnly) || !m_view->grab().save(&file, "PNG") || !file.commit()) {
    return tr("could not write %1: %2").arg(path, file.errorString());
  }
  return {};
}

QString ChartPanel::exportCsv(const QString& path) const {
  QSaveFile file(path);
  const std::string text = csv();
  const auto size = static_cast<qint64>(text.size());
  if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), size) != size || !file.commit()) {
    return tr("could not write %1: %2").arg(path, file.errorString());
  }
  return {};
}

void ChartPanel::showHover(const QString& text) {
  if (text.isEmpty()) {
    QToolTip::hideText();
    return;
  }
  m_hover->setText(text);
  QToolTip::showText(QCursor::pos(), text, m_view);
}

QString ChartPanel::hoverText() const { return m_hover->text(); }

void ChartPanel::askExport(bool png) {
  auto* dialog = new QFileDialog(this, png ? tr("Save %1 as PNG").arg(m_title) : tr("Save the data of %1 as CSV").arg(m_title));
  dialog->setObjectName(QStringLiteral("chartExportDialog"));
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setAcceptMode(QFileDialog::AcceptSave);
  dialog->setNameFilter(png ? tr("PNG images (*.png)") : tr("CSV files (*.csv)"));
  dialog->setDefaultSuffix(png ? QStringLiteral("png") : QStringLiteral("csv"));
  dialog->selectFile(objectName() + (png ? QStringLiteral(".png") : QStringLiteral(".csv")));
  connect(dialog, &QFileDialog::fileSelected, this, [this, png](const QString& path) {
    emit exported(path, png ? exportPng(path) : exportCsv(path));
  });
  dialog->open();
}

} // namespace opflow::ui
