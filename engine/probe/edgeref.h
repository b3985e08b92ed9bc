#pragma once
// An output port of a node, the thing a probe looks at: "conv1" or "conv1:out" or "3:1".
//
//   Result<EdgeRef> e = parseEdgeRef(graph, "pool1");   // pool1's first output

#include "core/status.h"
#include "graph_model/graph.h"

#include <string>

namespace nc::engine {

struct EdgeRef {
    nc::graph::NodeId node = nc::graph::kNoNode;
    nc::graph::PortIndex port = 0;
    bool operator==(const EdgeRef&) const = default;
};

// NODE[:PORT]: a node's name or id, then optionally its output port's name or index. The
// error names what was not found and lists the ports there are.
nc::core::Result<EdgeRef> parseEdgeRef(const nc::graph::Graph& graph, const std::string& text);
// "conv1.out", for messages and file names.
std::string describeEdge(const nc::graph::Graph& graph, EdgeRef edge);

} // namespace nc::engine
