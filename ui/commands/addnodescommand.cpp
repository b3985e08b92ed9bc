#include "addnodescommand.h"
#include "replay.h"

#include "../graphdocument.h"

#include "graph_model/layerregistry.h"

namespace nc::ui {

using namespace nc::graph;

AddNodesCommand::AddNodesCommand(GraphDocument* document, std::vector<Node> nodes,
                                 std::vector<Edge> edges, const QString& text)
    : QUndoCommand(text), m_document(document), m_nodes(std::move(nodes)),
      m_edges(std::move(edges)) {}

AddNodesCommand* AddNodesCommand::single(GraphDocument* document, const QString& type,
                                         Position position) {
    const LayerSpec& spec = *LayerRegistry::instance().find(type.toStdString());
    const Graph& graph = document->graph();
    Node node{graph.nextId(), spec.type, graph.uniqueName(spec.type), position,
              spec.defaultParams()};
    return new AddNodesCommand(document, {node}, {},
                               QObject::tr("Add %1 %2").arg(type, QString::fromStdString(node.name)));
}

void AddNodesCommand::redo() {
    Graph& graph = m_document->mutableGraph();
    m_previousNextId = graph.nextId();
    for (const Node& node : m_nodes)
        replayed(graph.insertNode(node));
    for (const Edge& edge : m_edges)
        replayed(graph.connect(edge));
}

void AddNodesCommand::undo() {
    Graph& graph = m_document->mutableGraph();
    for (auto it = m_nodes.rbegin(); it != m_nodes.rend(); ++it)
        replayed(graph.removeNode(it->id));
    replayed(graph.restoreNextId(m_previousNextId));
}

} // namespace nc::ui
