#pragma once
// A node card on the canvas: name, type, a one-line summary of the key parameters, the
// parameter count, typed ports, an error badge and a train-only marker. It stores only the
// node id and asks the document for everything else.

#include "graph_model/ids.h"

#include <QColor>
#include <QGraphicsObject>
#include <optional>

namespace nc::ui {

class GraphDocument;

struct PortRef {
    bool output = false;
    nc::graph::PortIndex index = 0;
};

class NodeItem : public QGraphicsObject {
    Q_OBJECT

public:
    NodeItem(GraphDocument* document, nc::graph::NodeId id);

    nc::graph::NodeId id() const { return m_id; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    // Re-reads name, summary, ports and diagnostics from the document.
    void refresh();
    QPointF portScenePos(PortRef port) const;
    // The card itself (boundingRect adds room for ports and badges), and a port relative to
    // the card's top-left corner.
    QSizeF cardSize() const;
    QPointF portOffset(PortRef port) const;
    std::optional<PortRef> portAt(QPointF scenePos) const;
    // The port's name, meaning and shape per sample, for its tooltip.
    QString portToolTip(PortRef port) const;
    // The layer's help and its problems: the tooltip over the rest of the card.
    QString cardToolTip() const;

signals:
    void moved(nc::graph::NodeId id);
    void renameRequested(nc::graph::NodeId id);

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;
    void hoverMoveEvent(QGraphicsSceneHoverEvent* event) override;

private:
    double height() const;
    int rows() const;

    GraphDocument* m_document;
    nc::graph::NodeId m_id;
    int m_inputs = 0;
    int m_outputs = 0;
    // From the last refresh(), so that a card zoomed far out is drawn without asking the model.
    QColor m_accent;
    bool m_hasError = false;
};

} // namespace nc::ui
