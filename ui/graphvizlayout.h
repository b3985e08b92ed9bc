#pragma once
// Auto-layout through Graphviz's `dot` (libgvc): a layered (Sugiyama) layout that minimises
// crossings and puts branches side by side, in either direction, with `dot`'s spline for
// every edge so that wires go around cards, folded into bands of the view's shape
// (foldedlayout.h). `dot` grows much faster than the graph: 0.6 s at 5,000 layers, 16 s at
// 20,000, so large graphs take the built-in layering (layeredlayout.h) instead.
//
//   GraphLayout layout = require(graphvizLayout(graph, LayoutDirection::LeftToRight, sizeOf, 1.6));
//   document->moveNodes(layout.positions); scene->setEdgeRoutes(layout.routes);

#include "foldedlayout.h"

#include "core/status.h"

namespace nc::ui {

// `aspect`: the width / height the folded layout aims for (the view's). Fails with a message
// when Graphviz cannot lay the graph out (its dot plugin missing, say).
nc::core::Result<GraphLayout> graphvizLayout(
    const nc::graph::Graph& graph, LayoutDirection direction,
    const std::function<CardGeometry(nc::graph::NodeId)>& card, double aspect);

} // namespace nc::ui
