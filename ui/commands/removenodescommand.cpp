#include "removenodescommand.h"
#include "replay.h"

#include "../graphdocument.h"

#include <algorithm>

namespace nc::ui {

using namespace nc::graph;

RemoveNodesCommand::RemoveNodesCommand(GraphDocument* document, const std::vector<NodeId>& ids)
    : QUndoCommand(ids.size() == 1
                       ? QObject::tr("Delete %1")
                             .arg(QString::fromStdString(document->graph().node(ids[0])->name))
                       : QObject::tr("Delete %1 layers").arg(ids.size())),
      m_document(document) {
    const Graph& graph = document->graph();
    for (NodeId id : ids) {
        m_nodes.push_back(*graph.node(id));
        for (const Edge& e : graph.edgesInto(id))
            m_edges.push_back(e);
        for (const Edge& e : graph.edgesOutOf(id))
            m_edges.push_back(e);
    }
    std::sort(m_edges.begin(), m_edges.end());
    m_edges.erase(std::unique(m_edges.begin(), m_edges.end()), m_edges.end());
}

void RemoveNodesCommand::redo() {
    for (const Node& node : m_nodes)
        replayed(m_document->mutableGraph().removeNode(node.id));
}

void RemoveNodesCommand::undo() {
    Graph& graph = m_document->mutableGraph();
    for (const Node& node : m_nodes)
        replayed(graph.insertNode(node));
    for (const Edge& edge : m_edges)
        replayed(graph.connect(edge));
}

} // namespace nc::ui
