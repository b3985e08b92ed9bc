#include "edgeitem.h"

#include "canvasstyle.h"
#include "graphscene.h"
#include "wirepath.h"

#include <QHash>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace nc::ui {

namespace {

// Measuring text shapes it, which is slow; a graph repeats a few labels ("64x7x7") many
// times, so each text is measured once (again after the default font changes).
QSizeF labelSize(const QString& text) {
    static QString measuredWith; // the font's key (a QFont must not outlive the application)
    static QHash<QString, QSizeF> sizes;
    QFont font;
    font.setPointSizeF(8);
    if (const QString key = font.key(); key != measuredWith) {
        sizes.clear();
        measuredWith = key;
    }
    auto known = sizes.constFind(text);
    if (known != sizes.constEnd())
        return *known;
    const QFontMetricsF metrics(font);
    const QSizeF size(metrics.horizontalAdvance(text) + 10, metrics.height() + 4);
    sizes.insert(text, size);
    return size;
}

} // namespace

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
    m_labelSize = text.isEmpty() ? QSizeF() : labelSize(text);
    m_problem = problem;
    placeLabel();
    update();
}

void EdgeItem::placeLabel() {
    // Along the wire from its middle outwards.
    static const std::vector<double> tries = {0.5,  0.42, 0.58, 0.34, 0.66,
                                              0.26, 0.74, 0.18, 0.82};
    const auto* graphScene = qobject_cast<const GraphScene*>(scene());
    if (m_label.isEmpty() || !graphScene) {
        m_labelCentre = pointsAtPercents(path(), {0.5}).front();
        return;
    }
    const std::vector<QPointF> points = pointsAtPercents(path(), tries);
    m_labelCentre = points.front();
    for (const QPointF& at : points) {
        const QRectF box(at.x() - m_labelSize.width() / 2, at.y() - m_labelSize.height() / 2,
                         m_labelSize.width(), m_labelSize.height());
        if (!graphScene->cards().intersectsAny(box)) {
            m_labelCentre = at;
            return;
        }
    }
}

QRectF EdgeItem::labelRect() const {
    if (m_label.isEmpty())
        return {};
    return QRectF(m_labelCentre.x() - m_labelSize.width() / 2,
                  m_labelCentre.y() - m_labelSize.height() / 2, m_labelSize.width(),
                  m_labelSize.height());
}

QRectF EdgeItem::boundingRect() const {
    return path().boundingRect().united(labelRect()).adjusted(-3, -3, 3, 3);
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    QColor colour = m_problem ? CanvasStyle::errorColor() : CanvasStyle::edgeColor();
    if (isSelected())
        colour = CanvasStyle::selectionColor();
    const bool detailed =
        QStyleOptionGraphicsItem::levelOfDetailFromTransform(painter->worldTransform()) >=
        CanvasStyle::kDetailZoom;
    // Zoomed far out, an aliased hairline (drawn much faster than a thin wide pen).
    painter->setRenderHint(QPainter::Antialiasing, detailed);
    painter->setPen(detailed ? QPen(colour, isSelected() ? 2.6 : 1.8) : QPen(colour, 0));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path());
    if (m_label.isEmpty() || !detailed)
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
