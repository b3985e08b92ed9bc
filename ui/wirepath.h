#pragma once
// Shapes of wires on the canvas: polylines with rounded corners for routed wires, and the
// route of a wire that runs backwards (into a card left of its source, as in a layout folded
// into rows): out to the right, along the gap above the target's card, and in from the left,
// so it never passes behind a card of the target's row.

#include <QPainterPath>
#include <QPointF>

#include <vector>

namespace nc::ui {

QPainterPath roundedPolyline(const std::vector<QPointF>& points);

// `targetTop`: the y of the top edge of the target's card.
QPainterPath backwardWire(QPointF from, QPointF to, double targetTop);

// The points at fractions `ts` (0 to 1) of the path's length, where QPainterPath::pointAtPercent
// puts them (to well under a pixel), but measuring the path once for all of them: Qt measures
// the whole path again for every point, and placing 20,000 labels spent a second in it.
std::vector<QPointF> pointsAtPercents(const QPainterPath& path, const std::vector<double>& ts);

} // namespace nc::ui
