#include "opflow/ui/flowchart/FlowchartCanvas.h"

#include "opflow/ui/flowchart/FlowchartScene.h"

#include <QKeyEvent>
#include <QWheelEvent>

#include <algorithm>

namespace opflow::ui {

namespace {

constexpr double kStep = 1.25;
constexpr double kMinZoom = 0.05;
constexpr double kMaxZoom = 8.0;
constexpr double kMaxFitZoom = 1.5; // a small chart is not blown up past this when fitted
constexpr double kLegibleFitZoom = 0.45; // fitted at least this much, 11 pt labels are still legible
constexpr double kReadableZoom = 0.8;    // a chart too large for that opens here: 11 pt labels about 9 px high

} // namespace

FlowchartCanvas::FlowchartCanvas(FlowchartScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent), m_scene(scene) {
  setObjectName(QStringLiteral("flowchartCanvas"));
  setAccessibleName(tr("Flowchart"));
  setToolTip(tr("Ctrl+wheel or +/- zoom, drag to pan, F fits, 0 natural size"));
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setResizeAnchor(QGraphicsView::AnchorViewCenter);
  setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
  setFocusPolicy(Qt::StrongFocus);
  connect(scene, &QGraphicsScene::sceneRectChanged, this, &FlowchartCanvas::apply);
}

double FlowchartCanvas::zoom() const { return transform().m11(); }

void FlowchartCanvas::zoomIn() { zoomBy(kStep); }

void FlowchartCanvas::zoomOut() { zoomBy(1 / kStep); }

void FlowchartCanvas::zoomBy(double factor) {
  const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
  m_mode = Mode::Free;
  scale(target / zoom(), target / zoom());
  emit zoomChanged(zoom());
}

void FlowchartCanvas::fit() {
  m_mode = Mode::Fit;
  apply();
}

void FlowchartCanvas::fitReadable() {
  m_mode = Mode::ReadableStart;
  apply();
}

void FlowchartCanvas::apply() {
  const QRectF rect = sceneRect();
  if (m_mode == Mode::Free || rect.isEmpty()) {
    return;
  }
  fitInView(rect, Qt::KeepAspectRatio);
  if (zoom() > kMaxFitZoom) {
    setTransform(QTransform::fromScale(kMaxFitZoom, kMaxFitZoom));
  }
  if (m_mode == Mode::ReadableStart && zoom() < kLegibleFitZoom) {
    // The start, where reading begins: a wide chart's start marker may be far from its
    // middle.
    setTransform(QTransform::fromScale(kReadableZoom, kReadableZoom));
    const double visibleHeight = viewport()->height() / kReadableZoom;
    const std::optional<QPointF> start = m_scene->startCenter();
    centerOn(start ? start->x() : rect.center().x(), rect.top() + visibleHeight / 2);
  } else {
    centerOn(rect.center());
  }
  emit zoomChanged(zoom());
}

void FlowchartCanvas::actualSize() {
  m_mode = Mode::Free;
  setTransform(QTransform());
  emit zoomChanged(zoom());
}

void FlowchartCanvas::wheelEvent(QWheelEvent* event) {
  if (event->modifiers() & Qt::ControlModifier) {
    const int delta = event->angleDelta().y();
    if (delta != 0) {
      zoomBy(delta > 0 ? kStep : 1 / kStep);
    }
    event->accept();
    return;
  }
  QGraphicsView::wheelEvent(event);
}

void FlowchartCanvas::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
  case Qt::Key_Plus:
  case Qt::Key_Equal:
    zoomIn();
    return;
  case Qt::Key_Minus:
    zoomOut();
    return;
  case Qt::Key_F:
    fit();
    return;
  case Qt::Key_0:
    actualSize();
    return;
  default:
    QGraphicsView::keyPressEvent(event);
  }
}

void FlowchartCanvas::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  apply();
}

} // namespace opflow::ui
