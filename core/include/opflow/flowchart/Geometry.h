// The laid-out flowchart of an operation: plain geometry that the console's scene and
// the SVG writer both draw, so every picture of an operation is the same picture.
// Coordinates are in points (1/72 inch), origin at the top left, y growing downwards.
// Label lines are sized for kFontFamily at the sizes below: draw them with
// kDrawingFontFamily at those sizes.
// Thread-safety: value types.
#pragma once

#include "opflow/model/Node.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opflow::flowchart {

// The font the layout sizes labels for (Graphviz's Helvetica metrics), in points. Draw
// with kDrawingFontFamily: Liberation Sans has the same metrics (package fonts-liberation2),
// where DejaVu Sans, fontconfig's usual stand-in, is a quarter wider and overflows boxes.
inline constexpr const char* kFontFamily = "Helvetica";
inline constexpr const char* kDrawingFontFamily = "Liberation Sans";
inline constexpr double kNodeFontSize = 11;
inline constexpr double kEdgeFontSize = 10;
inline constexpr double kTitleFontSize = 12;

struct Point {
  double x = 0;
  double y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

struct Rect {
  double x = 0; // left
  double y = 0; // top
  double width = 0;
  double height = 0;
  [[nodiscard]] bool intersects(const Rect& other) const;
  friend bool operator==(const Rect&, const Rect&) = default;
};

// The start marker is drawn as a small dot; every other box is a node of the definition.
enum class BoxKind { Start, Decision, Action, Call, Wait, Result, Fail };

[[nodiscard]] BoxKind boxKindOf(model::NodeKind kind);
[[nodiscard]] const char* toString(BoxKind kind);

struct NodeBox {
  std::string name; // the node's name ("" for the start marker)
  BoxKind kind = BoxKind::Action;
  std::vector<std::string> lines; // the label, one entry per line, already bounded in length
  Rect bounds;                    // the shape's bounding box
};

struct EdgeRoute {
  std::string from; // node names; "" for the start marker
  std::string to;
  // As model::edgesOf labels it ("true", a case condition, "timeout", ...), bounded like
  // node labels; its lines are separated by '\n'.
  std::string label;
  std::string exitName; // the exit as the engine journals it (StepRecord::exit)
  // A cubic B-spline as Graphviz gives it: points[0], then groups of three (two control
  // points and an end point); at least 4 points.
  std::vector<Point> points;
  std::optional<Point> arrowTip; // where the arrowhead points, past the last spline point
  std::optional<Rect> labelBounds;
};

struct FlowchartGeometry {
  std::string operation;
  std::int64_t version = 0;
  std::string contentHash;        // of the definition it was laid out from
  std::vector<std::string> title; // graph title lines, centred in titleBounds
  Rect titleBounds;               // at the top of bounds
  Rect bounds;                    // the whole drawing, title included; x and y are 0
  // Start marker first (when the definition names a start), then in declaration order,
  // then a plain action box for each edge target that no node declares.
  std::vector<NodeBox> nodes;
  std::vector<EdgeRoute> edges;   // start edge first, then as model::edgesOf gives them, node by node

  // The box of the node named `name` ("" finds the start marker), nullptr if none.
  [[nodiscard]] const NodeBox* findNode(const std::string& name) const;
};

} // namespace opflow::flowchart
