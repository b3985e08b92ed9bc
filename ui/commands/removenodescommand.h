#pragma once
// Removes nodes with every edge touching them; undo puts back the same ids, parameters,
// positions and edges.

#include "graph_model/node.h"

#include <QUndoCommand>
#include <vector>

namespace nc::ui {

class GraphDocument;

class RemoveNodesCommand : public QUndoCommand {
public:
    RemoveNodesCommand(GraphDocument* document, const std::vector<nc::graph::NodeId>& ids);

    void redo() override;
    void undo() override;

private:
    GraphDocument* m_document;
    std::vector<nc::graph::Node> m_nodes;
    std::vector<nc::graph::Edge> m_edges;
};

} // namespace nc::ui
