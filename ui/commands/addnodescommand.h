#pragma once
// Adds nodes and the edges between them: one new layer, a paste, a duplicate.

#include "graph_model/node.h"

#include <QUndoCommand>
#include <vector>

namespace nc::ui {

class GraphDocument;

class AddNodesCommand : public QUndoCommand {
public:
    // The nodes carry their final ids (see freshCopies in clipboard.h).
    AddNodesCommand(GraphDocument* document, std::vector<nc::graph::Node> nodes,
                    std::vector<nc::graph::Edge> edges, const QString& text);
    // One node of `type` at `position`, with a fresh id and name.
    static AddNodesCommand* single(GraphDocument* document, const QString& type,
                                   nc::graph::Position position);

    void redo() override;
    void undo() override;
    const std::vector<nc::graph::Node>& nodes() const { return m_nodes; }

private:
    GraphDocument* m_document;
    std::vector<nc::graph::Node> m_nodes;
    std::vector<nc::graph::Edge> m_edges;
    nc::graph::NodeId m_previousNextId = 0;
};

} // namespace nc::ui
