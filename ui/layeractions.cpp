#include "layeractions.h"

#include "canvasstyle.h"
#include "documentactions.h"
#include "graphdocument.h"
#include "placement.h"

#include "commands/addnodescommand.h"
#include "commands/edgecommands.h"
#include "commands/removenodescommand.h"

#include "graph_model/layerregistry.h"
#include "graph_model/shapeinference.h"

#include <QUndoStack>

namespace nc::ui {

using namespace nc::graph;

namespace {

QString nameOf(const GraphDocument* document, NodeId id) {
    return QString::fromStdString(document->graph().node(id)->name);
}

bool isLossType(const std::string& type) {
    const LayerSpec* spec = LayerRegistry::instance().find(type);
    return spec && spec->category == "Loss";
}

} // namespace

NodeId insertLayerAfter(GraphDocument* document, NodeId after, const QString& type,
                        QString* refusal) {
    if (!document->structureLock().isEmpty()) {
        if (refusal)
            *refusal = document->structureLock();
        return kNoNode;
    }
    const Graph& graph = document->graph();
    const Node* source = graph.node(after);
    if (!source || !LayerRegistry::instance().find(type.toStdString())) {
        if (refusal)
            *refusal = QObject::tr("no such layer type: %1").arg(type);
        return kNoNode;
    }
    const std::vector<Edge> fed = graph.edgesOutOf(after);
    const Position spot = freePosition(
        graph, {source->position.x + CanvasStyle::kNodeWidth + 70, source->position.y});
    QUndoStack* stack = document->undoStack();
    stack->beginMacro(QObject::tr("Insert %1 after %2").arg(type, nameOf(document, after)));
    auto* add = AddNodesCommand::single(document, type, spot);
    const NodeId id = add->nodes().front().id;
    stack->push(add);
    if (graph.inputCount(id) > 0 && graph.outputCount(after) > 0) {
        const Edge in{after, 0, id, 0};
        if (graph.canConnect(in)) {
            stack->push(new ConnectCommand(document, in, std::nullopt));
            // What `after` fed from its first output now comes from the new layer.
            for (const Edge& e : fed)
                if (e.outPort == 0 && graph.outputCount(id) > 0) {
                    const Edge out{id, 0, e.inNode, e.inPort};
                    stack->push(new ConnectCommand(document, out, e));
                }
        }
    }
    if (isLossType(type.toStdString()))
        wireLossTarget(document, id);
    stack->endMacro();
    return id;
}

QString disconnectInputs(GraphDocument* document, NodeId node) {
    if (!document->structureLock().isEmpty())
        return document->structureLock();
    const std::vector<Edge> edges = document->graph().edgesInto(node);
    if (edges.empty())
        return QObject::tr("%1 has no inputs wired").arg(nameOf(document, node));
    QUndoStack* stack = document->undoStack();
    stack->beginMacro(QObject::tr("Disconnect the inputs of %1").arg(nameOf(document, node)));
    for (const Edge& e : edges)
        stack->push(new DisconnectCommand(document, e));
    stack->endMacro();
    return {};
}

QString bypassLayer(GraphDocument* document, NodeId node) {
    if (!document->structureLock().isEmpty())
        return document->structureLock();
    const Graph& graph = document->graph();
    const QString name = nameOf(document, node);
    const std::vector<Edge> in = graph.edgesInto(node);
    if (graph.inputCount(node) != 1 || in.size() != 1)
        return QObject::tr("only a layer with one wired input can be bypassed; %1 has %2")
            .arg(name)
            .arg(in.size());
    const Edge source = in.front();
    const std::vector<Edge> out = graph.edgesOutOf(node);
    QUndoStack* stack = document->undoStack();
    stack->beginMacro(QObject::tr("Bypass %1").arg(name));
    stack->push(new RemoveNodesCommand(document, {node}));
    QStringList refused;
    for (const Edge& e : out) {
        const Edge around{source.outNode, source.outPort, e.inNode, e.inPort};
        if (Status s = graph.canConnect(around); s)
            stack->push(new ConnectCommand(document, around, std::nullopt));
        else
            refused << QString::fromStdString(s.message());
    }
    stack->endMacro();
    return refused.isEmpty() ? QString()
                             : QObject::tr("bypassed %1, but some wires could not be rejoined: %2")
                                   .arg(name, refused.join("; "));
}

void wireLossTarget(GraphDocument* document, NodeId loss) {
    if (!document->structureLock().isEmpty())
        return;
    const Graph& graph = document->graph();
    NodeId input = kNoNode;
    for (NodeId id : graph.nodeIds())
        if (graph.node(id)->type == "Input") {
            if (input != kNoNode)
                return; // two Inputs: ambiguous, the user wires it
            input = id;
        }
    const Edge target{input, 1, loss, 1};
    if (input == kNoNode || graph.inputCount(loss) < 2 || graph.edgeInto(loss, 1) ||
        !graph.canConnect(target))
        return;
    document->undoStack()->push(new ConnectCommand(document, target, std::nullopt));
}

namespace {

// The new layer's wire: out of `node` into the layer's first input, or out of the layer's
// first output into `node`.
Edge wireFor(NodeId node, bool output, PortIndex port, NodeId layer) {
    return output ? Edge{node, port, layer, 0} : Edge{layer, 0, node, port};
}

} // namespace

QStringList compatibleLayers(const Graph& graph, NodeId node, bool output, PortIndex port) {
    // Shapes are checked on a copy per candidate; very large graphs get the structural check.
    const bool checkShapes = graph.nodeCount() <= 2000;
    QStringList types;
    for (const LayerSpec& spec : LayerRegistry::instance().specs()) {
        if (spec.type == "Input" && output)
            continue;
        Graph trial = graph;
        Result<NodeId> added = trial.addNode(spec.type);
        if (!added)
            continue;
        const Edge edge = wireFor(node, output, port, added.value());
        if (!output)
            if (std::optional<Edge> fed = trial.edgeInto(node, port))
                if (!trial.disconnect(*fed))
                    continue;
        if (!trial.canConnect(edge) || !trial.connect(edge))
            continue;
        // A loss would get the Input's target as it is added (wireLossTarget).
        if (spec.category == "Loss" && output) {
            NodeId input = kNoNode;
            int inputs = 0;
            for (NodeId id : trial.nodeIds())
                if (trial.node(id)->type == "Input") {
                    input = id;
                    ++inputs;
                }
            if (inputs == 1 && !trial.connect({input, 1, added.value(), 1}))
                continue;
        }
        if (checkShapes) {
            const InferenceResult shapes = inferShapes(trial);
            bool fits = true;
            for (NodeId checked : {added.value(), node})
                if (const NodeInference* n = shapes.node(checked))
                    for (const Diagnostic& d : n->diagnostics)
                        fits = fits && d.severity != Severity::Error;
            if (!fits)
                continue;
        }
        types << QString::fromStdString(spec.type);
    }
    return types;
}

NodeId addWiredLayer(GraphDocument* document, const QString& type, Position position, NodeId node,
                     bool output, PortIndex port, QString* refusal) {
    if (!document->structureLock().isEmpty()) {
        if (refusal)
            *refusal = document->structureLock();
        return kNoNode;
    }
    const Graph& graph = document->graph();
    if (!LayerRegistry::instance().find(type.toStdString()) || !graph.node(node))
        return kNoNode;
    QUndoStack* stack = document->undoStack();
    stack->beginMacro(QObject::tr("Add %1 wired to %2").arg(type, nameOf(document, node)));
    auto* add = AddNodesCommand::single(document, type, freePosition(graph, position));
    const NodeId id = add->nodes().front().id;
    stack->push(add);
    // An input that was fed is re-wired to the new layer (connectPorts replaces the wire).
    const QString refused = connectPorts(document, wireFor(node, output, port, id));
    if (isLossType(type.toStdString()))
        wireLossTarget(document, id);
    stack->endMacro();
    if (refusal)
        *refusal = refused; // the layer stays, unwired, and the user hears why
    return id;
}

} // namespace nc::ui
