#include "wirepath.h"

#include <QLineF>

#include <algorithm>

namespace nc::ui {

QPainterPath roundedPolyline(const std::vector<QPointF>& points) {
    constexpr double kRadius = 14;
    QPainterPath path(points.front());
    for (std::size_t i = 1; i + 1 < points.size(); ++i) {
        const QPointF a = points[i - 1], corner = points[i], b = points[i + 1];
        const QLineF in(corner, a), out(corner, b);
        const double r = std::min({kRadius, in.length() / 2, out.length() / 2});
        path.lineTo(in.pointAt(r / std::max(in.length(), 1e-9)));
        path.quadTo(corner, out.pointAt(r / std::max(out.length(), 1e-9)));
    }
    path.lineTo(points.back());
    return path;
}

QPainterPath backwardWire(QPointF from, QPointF to, double targetTop) {
    constexpr double kOffset = 24, kAbove = 30;
    const double gap = targetTop - kAbove;
    return roundedPolyline({from,
                            {from.x() + kOffset, from.y()},
                            {from.x() + kOffset, gap},
                            {to.x() - kOffset, gap},
                            {to.x() - kOffset, to.y()},
                            to});
}

} // namespace nc::ui
