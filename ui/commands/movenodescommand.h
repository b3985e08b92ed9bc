#pragma once
// Moves nodes (a drag, an auto-layout). Successive moves from one drag merge into one step.

#include "graph_model/node.h"

#include <QUndoCommand>
#include <map>

namespace nc::ui {

class GraphDocument;

class MoveNodesCommand : public QUndoCommand {
public:
    // `drag`: a number shared by the moves of one gesture; 0 never merges.
    MoveNodesCommand(GraphDocument* document, std::map<nc::graph::NodeId, nc::graph::Position> to,
                     int drag, const QString& text);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphDocument* m_document;
    std::map<nc::graph::NodeId, nc::graph::Position> m_from;
    std::map<nc::graph::NodeId, nc::graph::Position> m_to;
    int m_drag;
};

} // namespace nc::ui
