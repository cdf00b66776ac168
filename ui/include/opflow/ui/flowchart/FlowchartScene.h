// FlowchartScene: an operation's flowchart drawn from its laid-out geometry (one item per
// node box and one per edge, in scene units of points, as flowchart::FlowchartLayout gives
// them), with overlays on top:
//   heat      a fill from pale to deep orange per node (0..1, by time or errors);
//   run path  the steps of one run: a badge per visited node (its step numbers and time)
//             and the edges the run took drawn bold;
//   live      the node a run is in now, outlined bold with a pulsing halo;
//   changes   a version comparison: added nodes green, removed red and dashed, changed amber.
// Clicking a node selects it and says nodeSelected(name). The same overlays can be handed
// to the SVG writer (svgMarks()), so an export shows what the screen shows.
// Thread-safety: GUI thread only.
#pragma once

#include "opflow/flowchart/FlowchartLayout.h"
#include "opflow/flowchart/FlowchartSvg.h"
#include "opflow/flowchart/VersionComparison.h"

#include <QColor>
#include <QGraphicsScene>
#include <QString>

#include <map>
#include <optional>
#include <utility>
#include <string>
#include <vector>

class QVariantAnimation;

namespace opflow::ui {

class FlowchartNodeItem;
class FlowchartEdgeItem;

// One journaled step of a run, as the run path overlay shows it.
struct RunPathStep {
  std::string node;
  std::string exit; // the exit taken ("" while the step is not finished)
  std::int64_t durationUs = 0;
};

class FlowchartScene : public QGraphicsScene {
  Q_OBJECT

public:
  explicit FlowchartScene(QObject* parent = nullptr);
  ~FlowchartScene() override;

  // Draws `geometry` instead of what was drawn; overlays are cleared.
  void setChart(flowchart::GeometryPtr geometry);
  [[nodiscard]] const flowchart::GeometryPtr& chart() const { return m_chart; }

  // Heat per node name, 0..1 (nodes absent are not shaded); empty clears the overlay.
  void setHeat(std::map<std::string, double> heat);
  // The steps of a run in journal order; empty clears the overlay.
  void setRunPath(std::vector<RunPathStep> steps);
  // The node a run is in now; "" clears it.
  void setLiveNode(const std::string& node);
  // The comparison of two versions, by node name; empty clears the overlay.
  void setChanges(std::map<std::string, flowchart::NodeChange> changes);

  // Selects `name` (and says nodeSelected); false when no such node is drawn.
  bool selectNode(const std::string& name);
  [[nodiscard]] std::string selectedNode() const;

  // What is drawn, for the view and its tests.
  [[nodiscard]] int nodeItemCount() const { return static_cast<int>(m_nodes.size()); }
  [[nodiscard]] int edgeItemCount() const { return static_cast<int>(m_edges.size()); }
  [[nodiscard]] bool hasNode(const std::string& name) const;
  [[nodiscard]] QPointF nodeCenter(const std::string& name) const;
  // The centre of the start marker (none without a chart).
  [[nodiscard]] std::optional<QPointF> startCenter() const;
  [[nodiscard]] QColor nodeFill(const std::string& name) const;
  [[nodiscard]] QColor nodeStroke(const std::string& name) const;
  [[nodiscard]] bool nodeDashed(const std::string& name) const;
  [[nodiscard]] QString nodeBadge(const std::string& name) const;
  [[nodiscard]] bool edgeVisited(std::size_t index) const;
  [[nodiscard]] const std::string& liveNode() const { return m_live; }

  // The overlays as marks for flowchart::toSvg.
  [[nodiscard]] flowchart::SvgMarks svgMarks() const;

signals:
  void nodeSelected(const QString& name);

private:
  struct NodeLook {
    QColor fill;
    QColor stroke;
    double strokeWidth = 1.2;
    bool dashed = false;
    QString badge;
  };

  // Each node's steps on the run path: indexes into m_path, in journal order.
  using StepsByNode = std::map<std::string, std::vector<std::size_t>>;

  void restyle();
  [[nodiscard]] StepsByNode stepsByNode() const;
  [[nodiscard]] NodeLook lookOf(const flowchart::NodeBox& box, const StepsByNode& steps) const;
  void onSelectionChanged();

  flowchart::GeometryPtr m_chart;
  std::vector<FlowchartNodeItem*> m_nodes; // as the geometry lists them
  std::vector<FlowchartEdgeItem*> m_edges;
  std::map<std::string, FlowchartNodeItem*> m_byName;
  // The edges between two nodes (start marker ""), as indexes into m_edges: what the run
  // path looks up for each step.
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> m_edgesByEnds;
  std::map<std::string, double> m_heat;
  std::vector<RunPathStep> m_path;
  std::string m_live;
  std::map<std::string, flowchart::NodeChange> m_changes;
  QGraphicsItem* m_halo = nullptr; // around the live node
  QVariantAnimation* m_pulse = nullptr;
};

} // namespace opflow::ui
