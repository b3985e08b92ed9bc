#pragma once
// The built-in auto-layout, for graphs too large for Graphviz (and when Graphviz cannot run):
// each layer one rank further along the flow than everything feeding it, the order within a
// rank chosen by the mean place of its neighbours (a few sweeps of the barycentre heuristic)
// so that wires cross little, then folded into bands like Graphviz's (foldedlayout.h). Its
// time grows as n log n: 20,000 layers take a fraction of a second.
//
//   GraphLayout layout = layeredLayout(graph, LayoutDirection::LeftToRight, sizeOf, 1.6);

#include "foldedlayout.h"

namespace nc::ui {

GraphLayout layeredLayout(const nc::graph::Graph& graph, LayoutDirection direction,
                          const std::function<CardGeometry(nc::graph::NodeId)>& card,
                          double aspect);

} // namespace nc::ui
