#pragma once
// The canvas scene. It keeps id -> item maps and mirrors the document: items are created,
// removed and refreshed from the model's change notifications, never edited directly. Mouse
// gestures become undo commands: dragging from a port connects, moving cards is one step.

#include "cardindex.h"
#include "edgeitem.h"
#include "nodeitem.h"
#include "stackeditems.h"

#include "graph_model/ids.h"

#include <QGraphicsScene>
#include <unordered_map>

namespace nc::ui {

class GraphDocument;

class GraphScene : public QGraphicsScene {
    Q_OBJECT

public:
    explicit GraphScene(GraphDocument* document, QObject* parent = nullptr);

    NodeItem* nodeItem(nc::graph::NodeId id) const;
    const std::unordered_map<nc::graph::NodeId, NodeItem*>& nodeItems() const { return m_nodes; }
    EdgeItem* edgeItem(const nc::graph::Edge& edge) const;
    std::size_t nodeItemCount() const { return m_nodes.size(); }
    std::size_t edgeItemCount() const { return m_edges.size(); }
    // Every card's scene bounding rectangle, kept in step as cards are added, moved, resized
    // and removed (wire labels keep off them).
    const CardIndex& cards() const { return m_cards; }
    // The dashed links, one per reference whose target exists.
    const std::vector<ReferenceItem*>& referenceItems() const { return m_references; }
    std::vector<nc::graph::NodeId> selectedNodes() const;
    std::vector<nc::graph::Edge> selectedEdges() const;
    void selectNodes(const std::vector<nc::graph::NodeId>& ids);
    // Whether cards keep a pixmap of themselves (on by default). At overview zoom a card is a
    // few pixels drawn as two rectangles: a pixmap for each of 20,000 costs more time and
    // memory than drawing them.
    void setCardsCached(bool cached);
    // A route from the auto-layout for one wire (until one of its cards moves).
    void setEdgeRoute(const nc::graph::Edge& edge, const QPainterPath& route);

signals:
    // A card was added, moved, resized or removed (cards(); what the minimap draws).
    void cardsChanged();
    // A refusal or hint for the status bar.
    void message(const QString& text);
    void renameRequested(nc::graph::NodeId id);
    // A wire dragged from a port was let go over empty canvas (quick-add offers what fits).
    void wireDropped(nc::graph::NodeId node, bool output, nc::graph::PortIndex port,
                     QPointF scenePos, QPoint screenPos);
    // An output port was pressed and released without dragging a wire away (probe it).
    void outputPortClicked(nc::graph::NodeId node, nc::graph::PortIndex port);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

private:
    void rebuild();
    void fitIndex();
    void onGraphChanged(unsigned mask, qint64 node);
    void refreshLabels();
    void refreshEdgeLabel(const nc::graph::Edge& edge, EdgeItem* item);
    void addNodeItem(nc::graph::NodeId id);
    void removeNodeItem(nc::graph::NodeId id);
    void refreshNodeItem(NodeItem* item);
    void trackCard(NodeItem* item);
    void addEdgeItem(const nc::graph::Edge& edge);
    void syncEdgesInto(nc::graph::NodeId id);
    void syncReferences();
    void placeReference(ReferenceItem* item);
    void updateEdgeGeometry(nc::graph::NodeId id);
    void placeEdge(EdgeItem* item, const nc::graph::Edge& edge);
    void commitMoves();

    struct DragConnection {
        nc::graph::NodeId node = nc::graph::kNoNode;
        PortRef port;
        QGraphicsPathItem* preview = nullptr;
    };

    GraphDocument* m_document;
    std::unordered_map<nc::graph::NodeId, NodeItem*> m_nodes;
    std::unordered_map<nc::graph::Edge, EdgeItem*, nc::graph::EdgeHash> m_edges;
    // The wires drawn into each node, so that re-syncing one node's inputs does not look
    // through every wire.
    std::unordered_map<nc::graph::NodeId, std::vector<EdgeItem*>> m_edgesInto;
    CardIndex m_cards;
    // Only the top card of cards at one place paints, and the top one of identical wires.
    StackedItems m_cardStacks;
    StackedItems m_wireStacks;
    std::vector<ReferenceItem*> m_references;
    DragConnection m_drag;
    bool m_moving = false;
    bool m_cardsCached = true;
    int m_dragSerial = 0;
};

} // namespace nc::ui
