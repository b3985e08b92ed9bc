#pragma once
// Arranges a graph left to right in layers: each layer one step further from the inputs
// than everything feeding it, and the order within a layer chosen by the average position
// of its neighbours (a few sweeps of the barycentre heuristic), so that edges cross little.

#include "graph_model/graph.h"

#include <map>

namespace nc::ui {

std::map<nc::graph::NodeId, nc::graph::Position> layeredLayout(const nc::graph::Graph& graph);

} // namespace nc::ui
