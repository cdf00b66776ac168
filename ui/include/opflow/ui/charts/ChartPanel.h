// ChartPanel: one chart of the dashboard in a frame with its title, a line that says the
// value under the pointer (hovering a bar or a point shows it there and as a tooltip), and
// its exports: the chart as a PNG picture and the data it shows as CSV. Both ask for a file
// (a window-modal dialog, no nested event loop) and replace it whole or leave it as it was
// (QSaveFile). Qt Charts stays behind this folder: the rest of the console sees widgets.
// Thread-safety: GUI thread only.
#pragma once

#include <QFrame>
#include <QString>

#include <functional>
#include <string>

class QChart;
class QChartView;
class QLabel;

namespace opflow::ui {

class ChartPanel : public QFrame {
  Q_OBJECT

public:
  ChartPanel(const QString& objectName, const QString& title, QWidget* parent = nullptr);

  [[nodiscard]] QChart* chart() const;
  [[nodiscard]] QChartView* chartView() const { return m_view; }
  [[nodiscard]] QString title() const { return m_title; }

  // Where the data the chart shows comes from as CSV, when "CSV…" writes it.
  void setCsvSource(std::function<std::string()> csv) { m_csv = std::move(csv); }
  [[nodiscard]] std::string csv() const { return m_csv ? m_csv() : std::string(); }

  // Writes the chart as PNG, or its data as CSV, to `path`: "" or what went wrong.
  [[nodiscard]] QString exportPng(const QString& path) const;
  [[nodiscard]] QString exportCsv(const QString& path) const;

  // Shows `text` (the hovered value) under the chart and as a tooltip; "" clears it.
  void showHover(const QString& text);
  [[nodiscard]] QString hoverText() const;

signals:
  // An export chosen in the file dialog ended: written to `path`, or not, `problem` says why.
  void exported(const QString& path, const QString& problem);

private:
  void askExport(bool png);

  QString m_title;
  QChartView* m_view = nullptr;
  QLabel* m_hover = nullptr;
  std::function<std::string()> m_csv;
};

} // namespace opflow::ui
