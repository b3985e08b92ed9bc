#include "edgecommands.h"
#include "replay.h"

#include "../graphdocument.h"

namespace nc::ui {

using namespace nc::graph;

namespace {

QString nodeName(const GraphDocument* document, NodeId node) {
    const Node* n = document->graph().node(node);
    return n ? QString::fromStdString(n->name) : QString::number(node);
}

} // namespace

ConnectCommand::ConnectCommand(GraphDocument* document, Edge edge, std::optional<Edge> replaced)
    : QUndoCommand(QObject::tr("Connect %1 to %2")
                       .arg(nodeName(document, edge.outNode), nodeName(document, edge.inNode))),
      m_document(document), m_edge(edge),
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
    : QUndoCommand(QObject::tr("Disconnect %1 from %2")
                       .arg(nodeName(document, edge.outNode), nodeName(document, edge.inNode))),
      m_document(document), m_edge(edge) {}

void DisconnectCommand::redo() {
    replayed(m_document->mutableGraph().disconnect(m_edge));
}

void DisconnectCommand::undo() {
    replayed(m_document->mutableGraph().connect(m_edge));
}

} // namespace nc::ui
