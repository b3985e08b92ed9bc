#include "edgeitem.h"

#include "canvasstyle.h"
#include "nodeitem.h"
#include "wirepath.h"

#include <QGraphicsScene>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace nc::ui {

EdgeItem::EdgeItem(nc::graph::Edge edge) : m_edge(edge) {
    setFlags(ItemIsSelectable);
    setZValue(0);
}

QPainterPath EdgeItem::curve(QPointF from, QPointF to) {
    // Horizontal tangents; a short backwards hop gets short ones, a compact S.
    const double dx =
        to.x() >= from.x() ? std::clamp((to.x() - from.x()) * 0.5, 40.0, 220.0) : 90.0;
    QPainterPath path(from);
    path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
    return path;
}

void EdgeItem::setEnds(QPointF from, QPointF to, double targetTop) {
    prepareGeometryChange();
    // A wire into a card well left of its source (the next row of a folded layout) goes round
    // above the target's row instead of across the cards.
    const bool backwards = to.x() < from.x() - 60 && std::abs(to.y() - from.y()) > 60;
    setPath(backwards ? backwardWire(from, to, targetTop) : curve(from, to));
    placeLabel();
}

void EdgeItem::setRoute(const QPainterPath& route) {
    prepareGeometryChange();
    setPath(route);
    placeLabel();
}

void EdgeItem::setLabel(const QString& text, bool problem) {
    if (text == m_label && problem == m_problem)
        return;
    prepareGeometryChange();
    m_label = text;
    m_problem = problem;
    placeLabel();
    update();
}

namespace {

QSizeF labelSize(const QString& text) {
    QFont font;
    font.setPointSizeF(8);
    const QFontMetricsF metrics(font);
    return {metrics.horizontalAdvance(text) + 10, metrics.height() + 4};
}

} // namespace

void EdgeItem::placeLabel() {
    m_labelCentre = path().pointAtPercent(0.5);
    if (m_label.isEmpty() || !scene())
        return;
    const QSizeF size = labelSize(m_label);
    for (double t : {0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82}) {
        const QPointF at = path().pointAtPercent(t);
        const QRectF box(at.x() - size.width() / 2, at.y() - size.height() / 2, size.width(),
                         size.height());
        bool free = true;
        for (QGraphicsItem* item : scene()->items(box, Qt::IntersectsItemBoundingRect))
            free = free && !dynamic_cast<NodeItem*>(item);
        if (free) {
            m_labelCentre = at;
            return;
        }
    }
}

QRectF EdgeItem::labelRect() const {
    if (m_label.isEmpty())
        return {};
    const QSizeF size = labelSize(m_label);
    return QRectF(m_labelCentre.x() - size.width() / 2, m_labelCentre.y() - size.height() / 2,
                  size.width(), size.height());
}

QRectF EdgeItem::boundingRect() const {
    return path().boundingRect().united(labelRect()).adjusted(-3, -3, 3, 3);
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    painter->setRenderHint(QPainter::Antialiasing);
    QColor colour = m_problem ? CanvasStyle::errorColor() : CanvasStyle::edgeColor();
    if (isSelected())
        colour = CanvasStyle::selectionColor();
    painter->setPen(QPen(colour, isSelected() ? 2.6 : 1.8));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path());
    if (m_label.isEmpty())
        return;
    const QRectF box = labelRect();
    painter->setPen(QPen(colour, 1));
    painter->setBrush(CanvasStyle::labelBackground());
    painter->drawRoundedRect(box, 4, 4);
    QFont font = painter->font();
    font.setPointSizeF(8);
    painter->setFont(font);
    painter->setPen(m_problem ? CanvasStyle::errorColor() : CanvasStyle::textColor());
    painter->drawText(box, Qt::AlignCenter, m_label);
}

ReferenceItem::ReferenceItem(nc::graph::NodeReference reference, const QString& meaning,
                             QColor colour)
    : m_reference(std::move(reference)) {
    setPen(QPen(colour, 1.6, Qt::DashLine));
    setZValue(-1);
    setToolTip(meaning);
}

void ReferenceItem::setEnds(QPointF holderTop, QPointF targetTop) {
    QPainterPath path(holderTop);
    const double lift = std::min(holderTop.y(), targetTop.y()) - 60;
    path.cubicTo(QPointF(holderTop.x(), lift), QPointF(targetTop.x(), lift), targetTop);
    setPath(path);
}

} // namespace nc::ui
