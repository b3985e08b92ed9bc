#pragma once
// Copy and paste of subgraphs as graph JSON: the same serializer as files and undo. A paste
// gets fresh ids and free names, and keeps the edges among the pasted nodes; a node reference
// (noderefs.h) to a pasted node follows it to the copy.

#include "graph_model/graph.h"
#include "core/status.h"

#include <string>
#include <vector>

namespace nc::ui {

// The selected nodes and the edges among them, as a graph file's text.
std::string copyNodes(const nc::graph::Graph& graph, const std::vector<nc::graph::NodeId>& ids);

struct PastePlan {
    std::vector<nc::graph::Node> nodes; // with fresh ids and names
    std::vector<nc::graph::Edge> edges;
};

// Reads clipboard text and plans its insertion into `target`, shifted by `offset`.
nc::core::Result<PastePlan> planPaste(const nc::graph::Graph& target, const std::string& text,
                                       nc::graph::Position offset);

} // namespace nc::ui
