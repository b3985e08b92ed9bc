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

} // namespace nc::ui
