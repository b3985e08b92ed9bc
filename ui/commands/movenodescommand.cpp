#include "movenodescommand.h"
#include "replay.h"

#include "commandids.h"

#include "../graphdocument.h"

namespace nc::ui {

using namespace nc::graph;

MoveNodesCommand::MoveNodesCommand(GraphDocument* document, std::map<NodeId, Position> to, int drag,
                                   const QString& text)
    : QUndoCommand(text), m_document(document), m_to(std::move(to)), m_drag(drag) {
    for (const auto& [id, position] : m_to)
        m_from[id] = document->graph().node(id)->position;
}

void MoveNodesCommand::redo() {
    for (const auto& [id, position] : m_to)
        replayed(m_document->mutableGraph().move(id, position));
}

void MoveNodesCommand::undo() {
    for (const auto& [id, position] : m_from)
        replayed(m_document->mutableGraph().move(id, position));
}

int MoveNodesCommand::id() const {
    return m_drag != 0 ? kMoveNodesId : -1;
}

bool MoveNodesCommand::mergeWith(const QUndoCommand* other) {
    auto* next = static_cast<const MoveNodesCommand*>(other);
    if (next->m_drag != m_drag)
        return false;
    for (const auto& [id, position] : next->m_to) {
        m_from.try_emplace(id, next->m_from.at(id));
        m_to[id] = position;
    }
    return true;
}

} // namespace nc::ui
