#include "documentactions.h"
#include "commands/replay.h"

#include "clipboard.h"
#include "commands/addnodescommand.h"
#include "commands/edgecommands.h"
#include "commands/nodeeditcommands.h"
#include "commands/removenodescommand.h"
#include "graphdocument.h"
#include "layeractions.h"
#include "placement.h"

#include "graph_model/layerregistry.h"

namespace nc::ui {

using namespace nc::graph;

QString connectPorts(GraphDocument* document, Edge edge) {
    if (!document->structureLock().isEmpty())
        return document->structureLock();
    const Graph& graph = document->graph();
    std::optional<Edge> replaced = graph.edgeInto(edge.inNode, edge.inPort);
    if (replaced && *replaced == edge)
        return QObject::tr("these ports are already connected");
    Status check = Status::ok();
    if (replaced) { // check against the graph as it will be once the old edge is gone
        Graph trial = graph;
        replayed(trial.disconnect(*replaced));
        check = trial.canConnect(edge);
    } else {
        check = graph.canConnect(edge);
    }
    if (!check)
        return QString::fromStdString(check.message());
    document->undoStack()->push(new ConnectCommand(document, edge, replaced));
    return {};
}

QString setParameter(GraphDocument* document, NodeId node, const std::string& name,
                     const ParamValue& value, bool mergeable) {
    if (!document->structureLock().isEmpty())
        return document->structureLock();
    if (Status check = document->graph().canSetParam(node, name, value); !check)
        return QString::fromStdString(check.message());
    if (*document->graph().node(node)->params.find(name) == value)
        return {};
    document->undoStack()->push(new SetParamCommand(document, node, name, value, mergeable));
    return {};
}

QString renameNode(GraphDocument* document, NodeId node, const QString& name) {
    const std::string text = name.toStdString();
    if (document->graph().node(node)->name == text)
        return {};
    if (Status check = document->graph().canRename(node, text); !check)
        return QString::fromStdString(check.message());
    document->undoStack()->push(new RenameCommand(document, node, text));
    return {};
}

NodeId addLayer(GraphDocument* document, const QString& type, Position position) {
    const LayerSpec* spec = LayerRegistry::instance().find(type.toStdString());
    if (!spec || document->refuseStructuralEdit())
        return kNoNode;
    auto* command =
        AddNodesCommand::single(document, type, freePosition(document->graph(), position));
    const NodeId id = command->nodes().front().id;
    // A loss comes with its target wired to the Input (when there is one Input): one step.
    const bool loss = spec->category == "Loss";
    if (loss)
        document->undoStack()->beginMacro(command->text());
    document->undoStack()->push(command);
    if (loss) {
        wireLossTarget(document, id);
        document->undoStack()->endMacro();
    }
    return id;
}

void deleteItems(GraphDocument* document, const std::vector<NodeId>& nodes,
                 const std::vector<Edge>& edges) {
    if ((nodes.empty() && edges.empty()) || document->refuseStructuralEdit())
        return;
    QUndoStack* stack = document->undoStack();
    stack->beginMacro(QObject::tr("Delete"));
    for (const Edge& e : edges) // edges of deleted nodes go with them
        if (std::find(nodes.begin(), nodes.end(), e.inNode) == nodes.end() &&
            std::find(nodes.begin(), nodes.end(), e.outNode) == nodes.end())
            stack->push(new DisconnectCommand(document, e));
    if (!nodes.empty())
        stack->push(new RemoveNodesCommand(document, nodes));
    stack->endMacro();
}

std::vector<NodeId> pasteNodes(GraphDocument* document, const std::string& text, Position offset,
                               QString* error) {
    if (!document->structureLock().isEmpty()) {
        if (error)
            *error = document->structureLock();
        return {};
    }
    Result<PastePlan> plan = planPaste(document->graph(), text, offset);
    if (!plan) {
        if (error)
            *error = QString::fromStdString(plan.message());
        return {};
    }
    // The pasted group keeps its shape and moves clear of the cards already there.
    std::vector<Position> group;
    for (const Node& n : plan.value().nodes)
        group.push_back(n.position);
    const Position clear = freeOffset(document->graph(), group, {0, 0});
    std::vector<NodeId> ids;
    for (Node& n : plan.value().nodes) {
        n.position.x += clear.x;
        n.position.y += clear.y;
        ids.push_back(n.id);
    }
    if (ids.empty())
        return ids;
    document->undoStack()->push(
        new AddNodesCommand(document, plan.value().nodes, plan.value().edges,
                            QObject::tr("Paste %n layer(s)", nullptr, int(ids.size()))));
    return ids;
}

} // namespace nc::ui
