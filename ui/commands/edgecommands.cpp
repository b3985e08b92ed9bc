#include "edgecommands.h"
#include "replay.h"

#include "../graphdocument.h"

namespace nc::ui {

using namespace nc::graph;

ConnectCommand::ConnectCommand(GraphDocument* document, Edge edge, std::optional<Edge> replaced)
    : QUndoCommand(QObject::tr("Connect")), m_document(document), m_edge(edge),
      m_replaced(replaced) {}

void ConnectCommand::redo() {
    if (m_replaced)
        replayed(m_document->mutableGraph().disconnect(*m_replaced));
    replayed(m_document->mutableGraph().connect(m_edge));
}

void ConnectCommand::undo() {
    replayed(m_document->mutableGraph().disconnect(m_edge));
    if (m_replaced)
        replayed(m_document->mutableGraph().connect(*m_replaced));
}

DisconnectCommand::DisconnectCommand(GraphDocument* document, Edge edge)
    : QUndoCommand(QObject::tr("Disconnect")), m_document(document), m_edge(edge) {}

void DisconnectCommand::redo() {
    replayed(m_document->mutableGraph().disconnect(m_edge));
}

void DisconnectCommand::undo() {
    replayed(m_document->mutableGraph().connect(m_edge));
}

} // namespace nc::ui
