#pragma once
// Connecting and disconnecting ports. Connecting onto an input that is already fed replaces
// that edge (one undo step).

#include "graph_model/ids.h"

#include <QUndoCommand>
#include <optional>

namespace nc::ui {

class GraphDocument;

class ConnectCommand : public QUndoCommand {
public:
    // The caller has checked the edge with Graph::canConnect after taking `replaced` away.
    ConnectCommand(GraphDocument* document, nc::graph::Edge edge,
                   std::optional<nc::graph::Edge> replaced);
    void redo() override;
    void undo() override;

private:
    GraphDocument* m_document;
    nc::graph::Edge m_edge;
    std::optional<nc::graph::Edge> m_replaced;
};

class DisconnectCommand : public QUndoCommand {
public:
    DisconnectCommand(GraphDocument* document, nc::graph::Edge edge);
    void redo() override;
    void undo() override;

private:
    GraphDocument* m_document;
    nc::graph::Edge m_edge;
};

} // namespace nc::ui
