#pragma once
// An edge on the canvas: a bezier curve between two ports and a label with the live
// per-sample shape ("32x12x12"), red where the consuming input has a problem. ReferenceItem
// is the dashed link from a node to a node it references (a tied deconvolution to its convolution).

#include "graph_model/ids.h"
#include "graph_model/noderefs.h"

#include <QGraphicsPathItem>

namespace nc::ui {

class EdgeItem : public QGraphicsPathItem {
public:
    explicit EdgeItem(nc::graph::Edge edge);
    nc::graph::Edge edge() const { return m_edge; }

    // The default curve between two ports (around the target's card, whose top is at
    // `targetTop`, when the wire runs backwards), or a route from the auto-layout (which holds
    // until the next setEnds, when a card moves).
    void setEnds(QPointF from, QPointF to, double targetTop);
    void setRoute(const QPainterPath& route);
    void setLabel(const QString& text, bool problem);
    QString label() const { return m_label; }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    // The S curve between two points (also the preview of a wire being dragged).
    static QPainterPath curve(QPointF from, QPointF to);

    // Where the label sits: on the wire, at the point nearest its middle where it covers no
    // card of its GraphScene (recomputed whenever the wire or the label changes).
    QRectF labelRect() const;

private:
    void placeLabel();

    nc::graph::Edge m_edge;
    QPointF m_labelCentre;
    QString m_label;
    QSizeF m_labelSize;
    bool m_problem = false;
};

class ReferenceItem : public QGraphicsPathItem {
public:
    // `meaning` is the tooltip, e.g. `<holder> ties weights to <target> (<param>)`.
    ReferenceItem(nc::graph::NodeReference reference, const QString& meaning, QColor colour);
    const nc::graph::NodeReference& reference() const { return m_reference; }
    nc::graph::NodeId holder() const { return m_reference.holder; }
    nc::graph::NodeId target() const { return m_reference.target; }
    // An arc over the two cards, from the top centre of each.
    void setEnds(QPointF holderTop, QPointF targetTop);

private:
    nc::graph::NodeReference m_reference;
};

} // namespace nc::ui
