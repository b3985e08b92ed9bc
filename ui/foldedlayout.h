#pragma once
// What the auto-layouts share: cards placed in ranks along the flow (by Graphviz's `dot`, or
// by the built-in layering for graphs too large for it), then folded into bands (rows for
// left to right, columns for top to bottom) so that a long network keeps roughly the view's
// shape, with every wire between two bands routed along the gutter between them, never behind
// a card.
//
//   std::map<NodeId, PlacedCard> placed = ...; // unfolded, scene units, y down
//   GraphLayout layout = foldIntoBands(graph, placed, cards, direction, aspect, noSplines);

#include "graph_model/graph.h"

#include <QPainterPath>
#include <QPointF>
#include <QSizeF>

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace nc::ui {

enum class LayoutDirection { LeftToRight, TopToBottom };

// The spacing of every auto-layout, in scene units.
struct LayoutSpacing {
    static constexpr double kRankGap = 90;  // between ranks
    static constexpr double kNodeGap = 46;  // between cards of one rank
    static constexpr double kBandGap = 110; // between folded bands
};

struct GraphLayout {
    std::map<nc::graph::NodeId, nc::graph::Position> positions; // each card's top-left
    // Each edge's path in scene coordinates, from its output port to its input port; valid
    // while the cards stay where the layout put them. An edge without one keeps its default
    // curve.
    std::map<nc::graph::Edge, QPainterPath> routes;
};

struct CardGeometry {
    QSizeF size;
    std::function<QPointF(nc::graph::PortIndex)> outputPort; // relative to the top-left
    std::function<QPointF(nc::graph::PortIndex)> inputPort;
};

// A card before folding: where it sits in one long band, and its rank along the flow
// (0 for the first).
struct PlacedCard {
    QPointF topLeft;
    QSizeF size;
    int rank = 0;
};

// A wire's curve as a placement drew it (Bezier points: a start, then three per segment, in
// unfolded scene coordinates), or none.
using PlacedWire = std::function<std::optional<std::vector<QPointF>>(const nc::graph::Edge&)>;

// Folds `placed` (every node of `graph`) into bands whose whole aims at width / height
// `aspect`. A wire within one band follows `wire` (left to right), or runs through the gap
// above its target's rank (top to bottom, where ports are on the cards' sides).
GraphLayout foldIntoBands(const nc::graph::Graph& graph,
                          const std::map<nc::graph::NodeId, PlacedCard>& placed,
                          const std::map<nc::graph::NodeId, CardGeometry>& cards,
                          LayoutDirection direction, double aspect, const PlacedWire& wire);

} // namespace nc::ui
