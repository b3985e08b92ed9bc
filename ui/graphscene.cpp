#include "graphscene.h"

#include "canvasstyle.h"
#include "commands/movenodescommand.h"
#include "documentactions.h"
#include "graphdocument.h"

#include "graph_model/graphchange.h"
#include "graph_model/layerregistry.h"
#include "graph_model/noderefs.h"

#include <QGraphicsSceneMouseEvent>

#include <cmath>

namespace nc::ui {

using namespace nc::graph;

GraphScene::GraphScene(GraphDocument* document, QObject* parent)
    : QGraphicsScene(parent), m_document(document) {
    connect(this, &QGraphicsScene::sceneRectChanged, this, &GraphScene::fitIndex);
    connect(document, &GraphDocument::graphChanged, this, &GraphScene::onGraphChanged);
    connect(document, &GraphDocument::graphReset, this, &GraphScene::rebuild);
    connect(document, &GraphDocument::inferenceChanged, this, &GraphScene::refreshLabels);
    rebuild();
    refreshLabels();
}

NodeItem* GraphScene::nodeItem(NodeId id) const {
    auto it = m_nodes.find(id);
    return it == m_nodes.end() ? nullptr : it->second;
}

EdgeItem* GraphScene::edgeItem(const Edge& edge) const {
    auto it = m_edges.find(edge);
    return it == m_edges.end() ? nullptr : it->second;
}

std::vector<NodeId> GraphScene::selectedNodes() const {
    std::vector<NodeId> ids;
    for (QGraphicsItem* item : selectedItems())
        if (auto* node = dynamic_cast<NodeItem*>(item))
            ids.push_back(node->id());
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::vector<Edge> GraphScene::selectedEdges() const {
    std::vector<Edge> edges;
    for (QGraphicsItem* item : selectedItems())
        if (auto* edge = dynamic_cast<EdgeItem*>(item))
            edges.push_back(edge->edge());
    return edges;
}

void GraphScene::selectNodes(const std::vector<NodeId>& ids) {
    clearSelection();
    for (NodeId id : ids)
        if (NodeItem* item = nodeItem(id))
            item->setSelected(true);
}

void GraphScene::rebuild() {
    m_drag = {};
    clear(); // deletes every item
    m_nodes.clear();
    m_edges.clear();
    m_edgesInto.clear();
    m_references.clear();
    m_cards.clear();
    m_cardStacks.clear();
    m_wireStacks.clear();
    emit cardsChanged();
    const Graph& graph = m_document->graph();
    const std::vector<NodeId> ids = graph.nodeIds();
    m_nodes.reserve(ids.size());
    for (NodeId id : ids)
        addNodeItem(id);
    for (NodeId id : ids)
        for (const Edge& e : graph.edgesInto(id))
            addEdgeItem(e);
    syncReferences();
    fitIndex();
    // The labels come with the inferenceChanged() that follows every reset.
}

// Qt's BSP index picks its depth from the number of items alone. When cards overlap (a file
// with every card at [0, 0]) or the scene is a thin strip, its leaves get far smaller than a
// card, every item is filed in thousands of them, and memory and every query grow with that
// product: 1 GB and seconds per frame for 5,000 stacked cards. Here a leaf stays at least
// about a card wide and tall (Qt's depth is the most it gets), and a scene too small to split
// at all has no index: a query would return every item anyway, and sort them each frame.
void GraphScene::fitIndex() {
    constexpr double kLeaf = 256;
    const QRectF area = sceneRect();
    int splits = 0; // in each direction
    while (std::min(area.width(), area.height()) / std::pow(2.0, splits + 1) >= kLeaf)
        ++splits;
    if (splits == 0) {
        if (itemIndexMethod() != NoIndex)
            setItemIndexMethod(NoIndex);
        return;
    }
    const double items = double(m_nodes.size() + m_edges.size() + m_references.size());
    const int byCount = std::max(5, int(std::ceil(std::log2(std::max(items, 1.0)))));
    const int depth = std::min(2 * splits, byCount);
    if (itemIndexMethod() != BspTreeIndex) {
        setItemIndexMethod(BspTreeIndex);
        setBspTreeDepth(depth);
        // A new BSP index learns the scene's extent only from this signal; until then it
        // files every item in one leaf (a repaint at 100% took 35 ms instead of 5 at 20,000).
        emit sceneRectChanged(area);
    } else if (depth != bspTreeDepth()) {
        setBspTreeDepth(depth);
    }
}

void GraphScene::setCardsCached(bool cached) {
    if (cached == m_cardsCached)
        return;
    m_cardsCached = cached;
    for (auto& [id, item] : m_nodes)
        item->setCacheMode(cached ? QGraphicsItem::DeviceCoordinateCache : QGraphicsItem::NoCache);
}

void GraphScene::addNodeItem(NodeId id) {
    auto* item = new NodeItem(m_document, id);
    if (!m_cardsCached)
        item->setCacheMode(QGraphicsItem::NoCache);
    addItem(item);
    m_nodes[id] = item;
    trackCard(item);
    connect(item, &NodeItem::moved, this, &GraphScene::updateEdgeGeometry);
    connect(item, &NodeItem::renameRequested, this, &GraphScene::renameRequested);
}

void GraphScene::removeNodeItem(NodeId id) {
    NodeItem* item = nodeItem(id);
    if (!item)
        return;
    m_nodes.erase(id);
    m_cards.remove(id);
    m_cardStacks.remove(item);
    emit cardsChanged();
    // Deselect and detach first: a selected item dying inside the scene would report the
    // selection change from its own destructor.
    item->setSelected(false);
    removeItem(item);
    delete item;
}

// A refresh may change the card's height (its number of ports) or its place.
void GraphScene::refreshNodeItem(NodeItem* item) {
    item->refresh();
    trackCard(item);
}

void GraphScene::trackCard(NodeItem* item) {
    const QRectF rect = item->sceneBoundingRect();
    if (!m_cards.place(item->id(), rect))
        return;
    m_cardStacks.place(item, StackedItems::keyOf(rect));
    emit cardsChanged();
}

void GraphScene::addEdgeItem(const Edge& edge) {
    auto* item = new EdgeItem(edge);
    addItem(item);
    m_edges[edge] = item;
    m_edgesInto[edge.inNode].push_back(item);
    placeEdge(item, edge);
}

void GraphScene::syncEdgesInto(NodeId id) {
    if (auto drawn = m_edgesInto.find(id); drawn != m_edgesInto.end()) {
        for (EdgeItem* item : drawn->second) {
            m_edges.erase(item->edge());
            m_wireStacks.remove(item);
            item->setSelected(false);
            removeItem(item);
            delete item;
        }
        m_edgesInto.erase(drawn);
    }
    for (const Edge& e : m_document->graph().edgesInto(id))
        addEdgeItem(e);
}

void GraphScene::syncReferences() {
    for (ReferenceItem* item : m_references)
        delete item;
    m_references.clear();
    const Graph& graph = m_document->graph();
    for (NodeId id : graph.referenceHolders()) {
        const Node& holder = *graph.node(id);
        const LayerSpec& spec = graph.specOf(holder);
        for (const NodeReference& r : nodeReferences(holder)) {
            const Node* target = graph.node(r.target);
            if (!target || !nodeItem(id) || !nodeItem(r.target))
                continue;
            const QString meaning = QString::fromStdString(
                describeNode(holder) + " " + spec.findParam(r.param)->refMeaning + " " +
                describeNode(*target) + " (" + r.param + ")");
            auto* item = new ReferenceItem(
                r, meaning, CanvasStyle::categoryColor(QString::fromStdString(spec.category)));
            addItem(item);
            m_references.push_back(item);
            placeReference(item);
        }
    }
}

void GraphScene::placeReference(ReferenceItem* item) {
    NodeItem* holder = nodeItem(item->holder());
    NodeItem* target = nodeItem(item->target());
    if (holder && target)
        item->setEnds(holder->mapToScene(QPointF(CanvasStyle::kNodeWidth / 2, 0)),
                      target->mapToScene(QPointF(CanvasStyle::kNodeWidth / 2, 0)));
}

void GraphScene::placeEdge(EdgeItem* item, const Edge& edge) {
    NodeItem* from = nodeItem(edge.outNode);
    NodeItem* to = nodeItem(edge.inNode);
    if (!from || !to)
        return;
    item->setEnds(from->portScenePos({true, edge.outPort}), to->portScenePos({false, edge.inPort}),
                  to->scenePos().y());
    m_wireStacks.place(item, StackedItems::keyOf(item->path()));
}

void GraphScene::setEdgeRoute(const Edge& edge, const QPainterPath& route) {
    if (EdgeItem* item = edgeItem(edge)) {
        item->setRoute(route);
        m_wireStacks.place(item, StackedItems::keyOf(route));
    }
}

// Also keeps the card index in step while a card is dragged (the model learns the new place
// only when the drag ends).
void GraphScene::updateEdgeGeometry(NodeId id) {
    NodeItem* card = nodeItem(id);
    if (!card)
        return;
    trackCard(card);
    const Graph& graph = m_document->graph();
    for (const auto* edges : {&graph.edgesInto(id), &graph.edgesOutOf(id)})
        for (const Edge& e : *edges)
            if (EdgeItem* item = edgeItem(e))
                placeEdge(item, e);
    for (ReferenceItem* item : m_references)
        if (item->holder() == id || item->target() == id)
            placeReference(item);
}

void GraphScene::onGraphChanged(unsigned mask, qint64 node) {
    const NodeId id = NodeId(node);
    if (mask & NodeAdded)
        addNodeItem(id);
    if (mask & NodeRemoved) {
        removeNodeItem(id);
        m_edgesInto.erase(id); // its wires went first, one EdgeRemoved each
    }
    // A link appears when its holder or target is (re)added, e.g. by undoing a removal; its
    // tooltip names both ends.
    if (mask & (NodeAdded | NodeRemoved | ParamChanged | NodeRenamed))
        syncReferences();
    if (mask & (EdgeAdded | EdgeRemoved))
        syncEdgesInto(id);
    if (mask & (ParamChanged | NodeRenamed | NodeMoved))
        if (NodeItem* item = nodeItem(id)) {
            refreshNodeItem(item);
            updateEdgeGeometry(id);
        }
}

// Follows the incremental inference: after an edit only the cards it recomputed, and the
// wires into and out of them, are refreshed; a reset refreshes everything.
void GraphScene::refreshLabels() {
    if (m_document->inferenceTouchedAll() || m_nodes.size() != m_document->graph().nodeCount()) {
        for (auto& [edge, item] : m_edges)
            refreshEdgeLabel(edge, item);
        for (auto& [id, item] : m_nodes)
            refreshNodeItem(item);
        return;
    }
    const Graph& graph = m_document->graph();
    for (NodeId id : m_document->inferenceTouched()) {
        if (!graph.node(id))
            continue;
        if (NodeItem* item = nodeItem(id))
            refreshNodeItem(item);
        for (const auto* edges : {&graph.edgesInto(id), &graph.edgesOutOf(id)})
            for (const Edge& e : *edges)
                if (EdgeItem* item = edgeItem(e))
                    refreshEdgeLabel(e, item);
    }
}

void GraphScene::refreshEdgeLabel(const Edge& edge, EdgeItem* item) {
    const InferenceResult& inference = m_document->inference();
    std::optional<Shape> shape = inference.edgeShape(edge);
    bool problem = false;
    if (const NodeInference* consumer = inference.node(edge.inNode))
        for (const Diagnostic& d : consumer->diagnostics)
            problem = problem || (d.severity == Severity::Error && d.inPort == edge.inPort);
    item->setLabel(shape ? QString::fromStdString(formatShape(*shape)) : QStringLiteral("?"),
                   problem);
}

void GraphScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        for (QGraphicsItem* item : items(event->scenePos())) {
            auto* node = dynamic_cast<NodeItem*>(item);
            if (!node)
                continue;
            if (std::optional<PortRef> port = node->portAt(event->scenePos())) {
                m_drag = {node->id(), *port, new QGraphicsPathItem};
                m_drag.preview->setPen(QPen(CanvasStyle::selectionColor(), 2, Qt::DashLine));
                m_drag.preview->setZValue(5);
                addItem(m_drag.preview);
                event->accept();
                return;
            }
            break;
        }
        m_moving = true;
        ++m_dragSerial;
    }
    QGraphicsScene::mousePressEvent(event);
}

void GraphScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (m_drag.preview) {
        const QPointF start = nodeItem(m_drag.node)->portScenePos(m_drag.port);
        m_drag.preview->setPath(m_drag.port.output ? EdgeItem::curve(start, event->scenePos())
                                                   : EdgeItem::curve(event->scenePos(), start));
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void GraphScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (m_drag.preview) {
        delete m_drag.preview;
        const DragConnection drag = m_drag;
        m_drag = {};
        for (QGraphicsItem* item : items(event->scenePos())) {
            auto* target = dynamic_cast<NodeItem*>(item);
            if (!target)
                continue;
            std::optional<PortRef> port = target->portAt(event->scenePos());
            if (port && port->output && target->id() == drag.node &&
                port->index == drag.port.index) { // a click on an output port: probe it
                emit outputPortClicked(drag.node, drag.port.index);
                return;
            }
            if (!port || port->output == drag.port.output) {
                emit message(port ? tr("Connect an output to an input") : QString());
                return;
            }
            const Edge edge = drag.port.output
                                  ? Edge{drag.node, drag.port.index, target->id(), port->index}
                                  : Edge{target->id(), port->index, drag.node, drag.port.index};
            const QString refused = connectPorts(m_document, edge);
            emit message(refused.isEmpty() ? QString() : tr("Cannot connect: %1").arg(refused));
            return;
        }
        emit wireDropped(drag.node, drag.port.output, drag.port.index, event->scenePos(),
                         event->screenPos());
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    if (m_moving) {
        m_moving = false;
        commitMoves();
    }
}

// Card positions live in the model: after a drag, one command records where they went.
void GraphScene::commitMoves() {
    std::map<NodeId, Position> moved;
    for (auto& [id, item] : m_nodes) {
        const Node* node = m_document->graph().node(id);
        if (node && (node->position.x != item->pos().x() || node->position.y != item->pos().y()))
            moved[id] = {item->pos().x(), item->pos().y()};
    }
    if (moved.empty())
        return;
    const Node* only = moved.size() == 1 ? m_document->graph().node(moved.begin()->first) : nullptr;
    const QString text = only ? tr("Move %1").arg(QString::fromStdString(only->name))
                              : tr("Move %n layer(s)", nullptr, int(moved.size()));
    m_document->undoStack()->push(new MoveNodesCommand(m_document, moved, m_dragSerial, text));
}

} // namespace nc::ui
