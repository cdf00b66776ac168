// FlowchartCanvas: the view onto a FlowchartScene. Ctrl+wheel (or + and -) zooms about
// the pointer, a drag on empty space pans, F fits the whole chart (and keeps fitting
// while the canvas is resized, until the person zooms), 0 shows it at its natural size.
// Thread-safety: GUI thread only.
#pragma once

#include <QGraphicsView>

namespace opflow::ui {

class FlowchartScene;

class FlowchartCanvas : public QGraphicsView {
  Q_OBJECT

public:
  explicit FlowchartCanvas(FlowchartScene* scene, QWidget* parent = nullptr);

  // The current magnification (1: one point per pixel).
  [[nodiscard]] double zoom() const;
  [[nodiscard]] bool isFitting() const { return m_mode == Mode::Fit; }

public slots:
  void zoomIn();
  void zoomOut();
  void fit();
  void actualSize();
  // How a newly drawn chart is first shown: whole when that keeps the labels legible, else
  // at a readable zoom from its top, centred on the start marker, to be panned.
  void fitReadable();

signals:
  void zoomChanged(double zoom);

protected:
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

private:
  // What a resize keeps: the whole chart, the readable start, or the person's own zoom.
  enum class Mode { Fit, ReadableStart, Free };

  void zoomBy(double factor);
  void apply();

  FlowchartScene* m_scene;
  Mode m_mode = Mode::Fit;
};

} // namespace opflow::ui
