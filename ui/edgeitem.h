#pragma once
// An edge on the canvas: a bezier curve between two ports and a label with the live
// per-sample shape ("32x12x12"), red where the consuming input has a problem. TieItem is the
// dashed link from a tied Deconv2D to its Conv2D.

#include "graph_model/ids.h"

#include <QGraphicsPathItem>

namespace nc::ui {

class EdgeItem : public QGraphicsPathItem {
public:
    explicit EdgeItem(nc::graph::Edge edge);
    nc::graph::Edge edge() const { return m_edge; }

    void setEnds(QPointF from, QPointF to);
    void setLabel(const QString& text, bool problem);
    QString label() const { return m_label; }

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

    static QPainterPath curve(QPointF from, QPointF to);

private:
    QRectF labelRect() const;

    nc::graph::Edge m_edge;
    QString m_label;
    bool m_problem = false;
};

class TieItem : public QGraphicsPathItem {
public:
    TieItem(nc::graph::NodeId deconv, nc::graph::NodeId conv);
    nc::graph::NodeId deconv() const { return m_deconv; }
    nc::graph::NodeId conv() const { return m_conv; }
    void setEnds(QPointF deconvTop, QPointF convTop);

private:
    nc::graph::NodeId m_deconv, m_conv;
};

} // namespace nc::ui
