#pragma once
// Auto-layout through Graphviz's `dot` (libgvc): a layered (Sugiyama) layout that minimises
// crossings and puts branches side by side, in either direction, with `dot`'s spline for
// every edge so that wires go around cards. Long networks are folded into bands (rows for
// left-to-right, columns for top-to-bottom) so the whole graph keeps roughly the view's
// shape and cards stay readable at "fit"; an edge between two bands runs along the gutter
// between them, never behind a card.
//
//   GraphLayout layout = require(graphvizLayout(graph, LayoutDirection::LeftToRight, sizeOf, 1.6));
//   document->moveNodes(layout.positions); scene->setEdgeRoutes(layout.routes);

#include "graph_model/graph.h"

#include <QPainterPath>
#include <QPointF>
#include <QSizeF>

#include <functional>
#include <map>

namespace nc::ui {

enum class LayoutDirection { LeftToRight, TopToBottom };

struct GraphLayout {
    std::map<nc::graph::NodeId, nc::graph::Position> positions; // each card's top-left
    // Each edge's path in scene coordinates, from its output port to its input port; valid
    // while the cards stay where the layout put them.
    std::map<nc::graph::Edge, QPainterPath> routes;
};

struct CardGeometry {
    QSizeF size;
    std::function<QPointF(nc::graph::PortIndex)> outputPort; // relative to the top-left
    std::function<QPointF(nc::graph::PortIndex)> inputPort;
};

// `aspect`: the width / height the folded layout aims for (the view's). Fails with a message
// when Graphviz cannot lay the graph out (its dot plugin missing, say).
nc::core::Result<GraphLayout> graphvizLayout(
    const nc::graph::Graph& graph, LayoutDirection direction,
    const std::function<CardGeometry(nc::graph::NodeId)>& card, double aspect);

} // namespace nc::ui
