#pragma once
// The order in which nodes can be evaluated: every node after the nodes feeding it, and after
// the nodes it references (noderefs.h), e.g. a tied deconvolution after the convolution whose
// weight and geometry it uses.

#include "graph.h"

#include <vector>

namespace nc::graph {

struct DependencyOrder {
    std::vector<NodeId> order;  // every node not caught in a loop
    std::vector<NodeId> cyclic; // nodes in (or behind) a loop: only possible through references
};

DependencyOrder dependencyOrder(const Graph& graph);

// The nodes a node depends on directly: its input providers and the existing nodes it
// references (a dangling reference is no dependency).
std::vector<NodeId> directDependencies(const Graph& graph, const Node& node);

} // namespace nc::graph
