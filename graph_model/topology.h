#pragma once
// The order in which nodes can be evaluated: every node after the nodes feeding it, and every
// tied Deconv2D after the Conv2D whose weight (and input channel count) it uses.

#include "graph.h"

#include <vector>

namespace nc::graph {

struct DependencyOrder {
    std::vector<NodeId> order;  // every node not caught in a loop
    std::vector<NodeId> cyclic; // nodes in (or behind) a loop, only possible through ties
};

DependencyOrder dependencyOrder(const Graph& graph);

// The nodes a node depends on directly: its input providers and, for a tied Deconv2D, the
// Conv2D it is tied to (when that exists).
std::vector<NodeId> directDependencies(const Graph& graph, const Node& node);

} // namespace nc::graph
