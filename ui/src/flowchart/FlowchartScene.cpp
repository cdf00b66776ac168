#include "opflow/ui/flowchart/FlowchartScene.h"

#include "flowchart/FlowchartStyle.h"
#include "text/QtText.h"

#include "opflow/ui/text/OrderDetailText.h"

#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsPathItem>
#include <QGraphicsSimpleTextItem>
#include <QPainterPath>
#include <QPen>
#include <QVariantAnimation>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace opflow::ui {

namespace {

constexpr double kNodeZ = 2;
constexpr double kHaloZ = 1;
constexpr double kBadgeZ = 3;
constexpr int kBadgeSteps = 3; // step numbers shown in a badge before "…"
constexpr double kLabelPaddingPt = 8; // a node label keeps clear of its outline

QPainterPath shapeOf(flowchart::BoxKind kind, const QRectF& r) {
  QPainterPath path;
  const double w = r.width();
  const double h = r.height();
  switch (kind) {
  case flowchart::BoxKind::Start:
  case flowchart::BoxKind::Result:
    path.addEllipse(r);
    break;
  case flowchart::BoxKind::Decision:
    path.addPolygon(QPolygonF({QPointF(r.center().x(), r.top()), QPointF(r.right(), r.center().y()),
                               QPointF(r.center().x(), r.bottom()), QPointF(r.left(), r.center().y()),
                               QPointF(r.center().x(), r.top())}));
    break;
  case flowchart::BoxKind::Action:
    path.addRoundedRect(r, flowchart::kActionCornerRadius, flowchart::kActionCornerRadius);
    break;
  case flowchart::BoxKind::Call:
    path.addRect(r);
    path.addRect(r.adjusted(flowchart::kCallInset, flowchart::kCallInset, -flowchart::kCallInset, -flowchart::kCallInset));
    break;
  case flowchart::BoxKind::Wait: // the SVG writer's hexagon and octagon, as Graphviz draws them
    path.addPolygon(QPolygonF({QPointF(r.left(), r.center().y()), QPointF(r.left() + w / 4, r.top()),
                               QPointF(r.right() - w / 4, r.top()), QPointF(r.right(), r.center().y()),
                               QPointF(r.right() - w / 4, r.bottom()), QPointF(r.left() + w / 4, r.bottom()),
                               QPointF(r.left(), r.center().y())}));
    break;
  case flowchart::BoxKind::Fail: {
    const double k = std::tan(std::numbers::pi / 8);
    const double dx = w / 2 * k;
    const double dy = h / 2 * k;
    const QPointF c = r.center();
    path.addPolygon(QPolygonF({QPointF(c.x() - dx, r.top()), QPointF(c.x() + dx, r.top()),
                               QPointF(r.right(), c.y() - dy), QPointF(r.right(), c.y() + dy),
                               QPointF(c.x() + dx, r.bottom()), QPointF(c.x() - dx, r.bottom()),
                               QPointF(r.left(), c.y() + dy), QPointF(r.left(), c.y() - dy),
                               QPointF(c.x() - dx, r.top())}));
    break;
  }
  }
  return path;
}

// The scale that narrows text `width` wide to `room` (1 when it fits): this machine's font
// may draw a little wider than Graphviz measured, and labels must stay in the boxes the
// layout kept apart.
double fitScale(double width, double room) { return width > room && width > 0 && room > 0 ? room / width : 1.0; }

QRectF qrect(const flowchart::Rect& rect) { return {rect.x, rect.y, rect.width, rect.height}; }
QPointF qpoint(const flowchart::Point& point) { return {point.x, point.y}; }

QColor mix(const QColor& from, const QColor& to, double t) {
  t = std::clamp(t, 0.0, 1.0);
  return QColor::fromRgbF(static_cast<float>(from.redF() + (to.redF() - from.redF()) * t),
                          static_cast<float>(from.greenF() + (to.greenF() - from.greenF()) * t),
                          static_cast<float>(from.blueF() + (to.blueF() - from.blueF()) * t));
}

QString hexOf(const QColor& color) { return color.name(QColor::HexRgb); }

} // namespace

// A node's shape, its label lines and its (hidden until a run path names it) badge.
class FlowchartNodeItem : public QGraphicsPathItem {
public:
  FlowchartNodeItem(const flowchart::NodeBox& box, const QFont& font) : m_box(box) {
    const QRectF bounds = qrect(box.bounds);
    setPath(shapeOf(box.kind, bounds));
    setZValue(kNodeZ);
    if (box.kind == flowchart::BoxKind::Start) {
      return;
    }
    setFlag(ItemIsSelectable);
    setCursor(Qt::PointingHandCursor);
    setToolTip(qt(box.name));
    const double lineHeight = QFontMetricsF(font).height();
    double y = bounds.center().y() - lineHeight * static_cast<double>(box.lines.size()) / 2;
    for (const std::string& line : box.lines) {
      auto* text = new QGraphicsSimpleTextItem(qt(line), this);
      text->setFont(font);
      text->setBrush(flowchartstyle::textOf(box.kind));
      const double width = text->boundingRect().width();
      const double scale = fitScale(width, bounds.width() - kLabelPaddingPt);
      text->setScale(scale);
      text->setPos(bounds.center().x() - width * scale / 2, y + lineHeight * (1 - scale) / 2);
      y += lineHeight;
    }
    m_badge = new QGraphicsPathItem(this);
    m_badge->setZValue(kBadgeZ);
    m_badge->setBrush(flowchartstyle::badgeFillColor());
    m_badge->setPen(Qt::NoPen);
    m_badgeText = new QGraphicsSimpleTextItem(m_badge);
    QFont badgeFont = font;
    badgeFont.setPixelSize(flowchartstyle::kBadgePixels);
    badgeFont.setBold(true);
    m_badgeText->setFont(badgeFont);
    m_badgeText->setBrush(flowchartstyle::badgeTextColor());
    m_badge->setVisible(false);
  }

  [[nodiscard]] const flowchart::NodeBox& box() const { return m_box; }

  void setBadge(const QString& text) {
    if (!m_badge) {
      return;
    }
    m_badge->setVisible(!text.isEmpty());
    m_badgeText->setText(text);
    const QRectF textRect = m_badgeText->boundingRect();
    const QRectF bounds = qrect(m_box.bounds);
    const QRectF pill(bounds.right() - textRect.width() - 4, bounds.top() - textRect.height() + 2,
                      textRect.width() + 8, textRect.height() + 2);
    QPainterPath path;
    path.addRoundedRect(pill, pill.height() / 2, pill.height() / 2);
    m_badge->setPath(path);
    m_badgeText->setPos(pill.left() + 4, pill.top() + 1);
  }
  [[nodiscard]] QString badge() const { return m_badge && m_badge->isVisible() ? m_badgeText->text() : QString(); }

private:
  flowchart::NodeBox m_box;
  QGraphicsPathItem* m_badge = nullptr;
  QGraphicsSimpleTextItem* m_badgeText = nullptr;
};

// An edge's spline, its arrowhead and its label.
class FlowchartEdgeItem : public QGraphicsPathItem {
public:
  FlowchartEdgeItem(const flowchart::EdgeRoute& route, const QFont& font) {
    QPainterPath path;
    if (!route.points.empty()) {
      path.moveTo(qpoint(route.points.front()));
      for (std::size_t i = 1; i + 2 < route.points.size(); i += 3) {
        path.cubicTo(qpoint(route.points[i]), qpoint(route.points[i + 1]), qpoint(route.points[i + 2]));
      }
    }
    setPath(path);
    m_arrow = new QGraphicsPolygonItem(this);
    if (route.points.size() >= 2) {
      const QPointF end = qpoint(route.points.back());
      const QPointF before = qpoint(route.points[route.points.size() - 2]);
      const QPointF tip = route.arrowTip ? qpoint(*route.arrowTip) : end + (end - before) / 2;
      const QPointF base = route.arrowTip ? end : end - (end - before) / 2;
      QLineF axis(base, tip);
      if (axis.length() < 1) {
        axis = QLineF(before, end);
        axis.setLength(8);
        axis.translate(end - axis.p1());
      }
      QLineF normal = axis.normalVector();
      normal.setLength(3.5);
      const QPointF side = normal.p2() - normal.p1();
      m_arrow->setPolygon(QPolygonF({axis.p2(), axis.p1() + side, axis.p1() - side}));
    }
    if (route.labelBounds && !route.label.empty()) {
      m_label = new QGraphicsSimpleTextItem(qt(route.label), this);
      m_label->setFont(font);
      m_label->setBrush(flowchartstyle::edgeLabelColor());
      const QRectF bounds = qrect(*route.labelBounds);
      const QRectF text = m_label->boundingRect();
      const double scale = fitScale(text.width(), bounds.width());
      m_label->setScale(scale);
      m_label->setPos(bounds.center().x() - text.width() * scale / 2, bounds.center().y() - text.height() * scale / 2);
    }
    setStyle(false, flowchartstyle::edgeColor(), false);
  }

  void setStyle(bool visited, const QColor& color, bool dashed) {
    m_visited = visited;
    QPen pen(visited ? flowchartstyle::pathColor() : color, visited ? 2.6 : 1.2);
    pen.setStyle(dashed ? Qt::DashLine : Qt::SolidLine);
    setPen(pen);
    m_arrow->setPen(QPen(pen.color(), 1));
    m_arrow->setBrush(pen.color());
  }
  [[nodiscard]] bool visited() const { return m_visited; }

private:
  QGraphicsPolygonItem* m_arrow = nullptr;
  QGraphicsSimpleTextItem* m_label = nullptr;
  bool m_visited = false;
};

FlowchartScene::FlowchartScene(QObject* parent) : QGraphicsScene(parent) {
  setBackgroundBrush(flowchartstyle::backgroundColor());
  m_pulse = new QVariantAnimation(this);
  m_pulse->setStartValue(0.25);
  m_pulse->setKeyValueAt(0.5, 0.85);
  m_pulse->setEndValue(0.25);
  m_pulse->setDuration(1400);
  m_pulse->setLoopCount(-1);
  connect(m_pulse, &QVariantAnimation::valueChanged, this, [this](const QVariant& value) {
    if (m_halo) {
      m_halo->setOpacity(value.toDouble());
    }
  });
  connect(this, &QGraphicsScene::selectionChanged, this, &FlowchartScene::onSelectionChanged);
}

FlowchartScene::~FlowchartScene() {
  // Items go before the scene's signals could reach a half-destroyed scene.
  disconnect(this, &QGraphicsScene::selectionChanged, this, &FlowchartScene::onSelectionChanged);
}

void FlowchartScene::setChart(flowchart::GeometryPtr geometry) {
  m_pulse->stop();
  const QSignalBlocker quiet(this);
  clear();
  m_nodes.clear();
  m_edges.clear();
  m_byName.clear();
  m_edgesByEnds.clear();
  m_heat.clear();
  m_path.clear();
  m_live.clear();
  m_changes.clear();
  m_halo = nullptr;
  m_chart = std::move(geometry);
  if (!m_chart) {
    setSceneRect(QRectF());
    return;
  }
  const QFont nodeFont = flowchartstyle::font(flowchartstyle::kNodePixels);
  const QFont edgeFont = flowchartstyle::font(flowchartstyle::kEdgeLabelPixels);
  m_nodes.reserve(m_chart->nodes.size());
  for (const flowchart::NodeBox& box : m_chart->nodes) {
    auto* item = new FlowchartNodeItem(box, nodeFont);
    addItem(item);
    m_nodes.push_back(item);
    if (box.kind != flowchart::BoxKind::Start) {
      m_byName[box.name] = item;
    }
  }
  m_edges.reserve(m_chart->edges.size());
  for (const flowchart::EdgeRoute& route : m_chart->edges) {
    m_edgesByEnds[{route.from, route.to}].push_back(m_edges.size());
    auto* item = new FlowchartEdgeItem(route, edgeFont);
    addItem(item);
    m_edges.push_back(item);
  }
  QFont titleFont = flowchartstyle::font(flowchartstyle::kTitlePixels);
  const QRectF titleBounds = qrect(m_chart->titleBounds);
  const double lineHeight = QFontMetricsF(titleFont).height();
  double y = titleBounds.center().y() - lineHeight * static_cast<double>(m_chart->title.size()) / 2;
  for (std::size_t i = 0; i < m_chart->title.size(); ++i) {
    const std::string& line = m_chart->title[i];
    titleFont.setBold(i == 0); // as the SVG has it
    QGraphicsSimpleTextItem* text = addSimpleText(qt(line), titleFont);
    text->setBrush(flowchartstyle::titleColor());
    text->setPos(titleBounds.center().x() - text->boundingRect().width() / 2, y);
    y += lineHeight;
  }
  setSceneRect(qrect(m_chart->bounds).adjusted(-20, -20, 20, 20));
  restyle();
}

void FlowchartScene::setHeat(std::map<std::string, double> heat) {
  m_heat = std::move(heat);
  restyle();
}

void FlowchartScene::setRunPath(std::vector<RunPathStep> steps) {
  m_path = std::move(steps);
  restyle();
}

void FlowchartScene::setLiveNode(const std::string& node) {
  m_live = node;
  restyle();
}

void FlowchartScene::setChanges(std::map<std::string, flowchart::NodeChange> changes) {
  m_changes = std::move(changes);
  restyle();
}

bool FlowchartScene::selectNode(const std::string& name) {
  auto found = m_byName.find(name);
  if (found == m_byName.end()) {
    return false;
  }
  clearSelection();
  found->second->setSelected(true);
  return true;
}

std::string FlowchartScene::selectedNode() const {
  for (QGraphicsItem* item : selectedItems()) {
    if (auto* node = dynamic_cast<FlowchartNodeItem*>(item)) {
      return node->box().name;
    }
  }
  return {};
}

void FlowchartScene::onSelectionChanged() {
  const std::string name = selectedNode();
  if (!name.empty()) {
    emit nodeSelected(qt(name));
  }
}

bool FlowchartScene::hasNode(const std::string& name) const { return m_byName.contains(name); }

QPointF FlowchartScene::nodeCenter(const std::string& name) const {
  auto found = m_byName.find(name);
  return found == m_byName.end() ? QPointF() : qrect(found->second->box().bounds).center();
}

std::optional<QPointF> FlowchartScene::startCenter() const {
  const flowchart::NodeBox* start = m_chart ? m_chart->findNode("") : nullptr;
  return start ? std::optional<QPointF>(qrect(start->bounds).center()) : std::nullopt;
}

QColor FlowchartScene::nodeFill(const std::string& name) const {
  auto found = m_byName.find(name);
  return found == m_byName.end() ? QColor() : found->second->brush().color();
}

QColor FlowchartScene::nodeStroke(const std::string& name) const {
  auto found = m_byName.find(name);
  return found == m_byName.end() ? QColor() : found->second->pen().color();
}

bool FlowchartScene::nodeDashed(const std::string& name) const {
  auto found = m_byName.find(name);
  return found != m_byName.end() && found->second->pen().style() == Qt::DashLine;
}

QString FlowchartScene::nodeBadge(const std::string& name) const {
  auto found = m_byName.find(name);
  return found == m_byName.end() ? QString() : found->second->badge();
}

bool FlowchartScene::edgeVisited(std::size_t index) const { return index < m_edges.size() && m_edges[index]->visited(); }

FlowchartScene::StepsByNode FlowchartScene::stepsByNode() const {
  StepsByNode steps;
  for (std::size_t i = 0; i < m_path.size(); ++i) {
    steps[m_path[i].node].push_back(i);
  }
  return steps;
}

FlowchartScene::NodeLook FlowchartScene::lookOf(const flowchart::NodeBox& box, const StepsByNode& steps) const {
  NodeLook look;
  look.fill = flowchartstyle::fillOf(box.kind);
  look.stroke = flowchartstyle::strokeOf(box.kind);
  if (auto heat = m_heat.find(box.name); heat != m_heat.end()) {
    look.fill = mix(flowchartstyle::heatColdColor(), flowchartstyle::heatHotColor(), heat->second);
  }
  if (auto change = m_changes.find(box.name); change != m_changes.end() && change->second != flowchart::NodeChange::Same) {
    look.fill = flowchartstyle::changeFill(change->second);
    look.stroke = flowchartstyle::changeStroke(change->second);
    look.strokeWidth = 2;
    look.dashed = change->second == flowchart::NodeChange::Removed;
  }
  QStringList numbers;
  std::int64_t totalUs = 0;
  if (auto visits = steps.find(box.name); visits != steps.end()) {
    for (std::size_t i : visits->second) {
      if (numbers.size() < kBadgeSteps) {
        numbers << QString::number(i + 1);
      } else if (numbers.size() == kBadgeSteps) {
        numbers << QStringLiteral("…");
      }
      totalUs += m_path[i].durationUs;
    }
  }
  if (!numbers.isEmpty()) {
    look.stroke = flowchartstyle::pathColor();
    look.strokeWidth = 2;
    look.badge = totalUs > 0 ? QStringLiteral("%1 · %2").arg(numbers.join(QLatin1Char(',')), durationText(totalUs))
                             : numbers.join(QLatin1Char(','));
  }
  if (!m_live.empty() && box.name == m_live) {
    look.stroke = flowchartstyle::liveColor();
    look.strokeWidth = 3.5;
  }
  return look;
}

void FlowchartScene::restyle() {
  delete m_halo;
  m_halo = nullptr;
  const StepsByNode steps = stepsByNode();
  for (FlowchartNodeItem* item : m_nodes) {
    if (item->box().kind == flowchart::BoxKind::Start) {
      item->setBrush(flowchartstyle::strokeOf(flowchart::BoxKind::Start));
      item->setPen(Qt::NoPen);
      continue;
    }
    const NodeLook look = lookOf(item->box(), steps);
    item->setBrush(look.fill);
    QPen pen(look.stroke, look.strokeWidth);
    pen.setStyle(look.dashed ? Qt::DashLine : Qt::SolidLine);
    item->setPen(pen);
    item->setBadge(look.badge);
    if (!m_live.empty() && item->box().name == m_live) {
      auto* halo = new QGraphicsPathItem(item->path());
      halo->setPen(QPen(flowchartstyle::liveColor(), 10, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
      halo->setZValue(kHaloZ);
      halo->setOpacity(0.5);
      addItem(halo);
      m_halo = halo;
    }
  }
  // The edges the run took: from each step's node by its exit to the next step's node.
  std::vector<bool> visited(m_edges.size(), false);
  if (m_chart) {
    for (std::size_t i = 0; i < m_path.size(); ++i) {
      const std::string from = i == 0 ? std::string() : m_path[i - 1].node;
      const std::string& exit = i == 0 ? std::string() : m_path[i - 1].exit;
      std::optional<std::size_t> byTarget;
      std::optional<std::size_t> byExit;
      if (auto between = m_edgesByEnds.find({from, m_path[i].node}); between != m_edgesByEnds.end()) {
        for (std::size_t e : between->second) {
          byTarget = byTarget.value_or(e);
          if (!exit.empty() && m_chart->edges[e].exitName == exit) {
            byExit = e;
          }
        }
      }
      if (auto edge = byExit ? byExit : byTarget) {
        visited[*edge] = true;
      }
    }
  }
  for (std::size_t e = 0; e < m_edges.size(); ++e) {
    QColor color = flowchartstyle::edgeColor();
    bool dashed = false;
    if (m_chart) {
      for (const std::string* end : {&m_chart->edges[e].from, &m_chart->edges[e].to}) {
        auto change = m_changes.find(*end);
        if (change != m_changes.end() && (change->second == flowchart::NodeChange::Added ||
                                          change->second == flowchart::NodeChange::Removed)) {
          color = flowchartstyle::changeStroke(change->second);
          dashed = change->second == flowchart::NodeChange::Removed;
        }
      }
    }
    m_edges[e]->setStyle(visited[e], color, dashed);
  }
  if (m_halo) {
    m_pulse->start();
  } else {
    m_pulse->stop();
  }
}

flowchart::SvgMarks FlowchartScene::svgMarks() const {
  flowchart::SvgMarks marks;
  if (!m_chart) {
    return marks;
  }
  const StepsByNode steps = stepsByNode();
  for (const flowchart::NodeBox& box : m_chart->nodes) {
    if (box.kind == flowchart::BoxKind::Start) {
      continue;
    }
    const NodeLook look = lookOf(box, steps);
    flowchart::NodeMark mark;
    if (look.fill != flowchartstyle::fillOf(box.kind)) {
      mark.fill = hexOf(look.fill).toStdString();
    }
    if (look.stroke != flowchartstyle::strokeOf(box.kind)) {
      mark.stroke = hexOf(look.stroke).toStdString();
    }
    mark.badge = look.badge.toStdString();
    if (!mark.fill.empty() || !mark.stroke.empty() || !mark.badge.empty()) {
      marks.nodes[box.name] = std::move(mark);
    }
  }
  return marks;
}

} // namespace opflow::ui
