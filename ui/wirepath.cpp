#include "wirepath.h"

#include <QLineF>

#include <algorithm>
#include <array>

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

namespace {

QPointF cubicAt(const std::array<QPointF, 4>& p, double t) {
    const double u = 1 - t;
    return u * u * u * p[0] + 3 * u * u * t * p[1] + 3 * u * t * t * p[2] + t * t * t * p[3];
}

} // namespace

std::vector<QPointF> pointsAtPercents(const QPainterPath& path, const std::vector<double>& ts) {
    // As Qt does: the segment (a line or a curve) at that share of the length, then the point
    // at the same share of that segment's parameter. A curve is measured as 32 chords, which
    // follow a wire's curve to a small fraction of a pixel.
    constexpr int kChords = 32;
    struct Segment {
        std::array<QPointF, 4> points; // a line uses the first two
        bool curve = false;
        double start = 0, length = 0;
    };
    std::vector<Segment> segments;
    double total = 0;
    QPointF at;
    for (int i = 0; i < path.elementCount(); ++i) {
        const QPainterPath::Element& e = path.elementAt(i);
        Segment s;
        if (e.isMoveTo()) {
            at = e;
            continue;
        }
        if (e.isCurveTo() && i + 2 < path.elementCount()) {
            s.curve = true;
            s.points = {at, e, path.elementAt(i + 1), path.elementAt(i + 2)};
            QPointF previous = at;
            for (int k = 1; k <= kChords; ++k) {
                const QPointF next = cubicAt(s.points, double(k) / kChords);
                s.length += QLineF(previous, next).length();
                previous = next;
            }
            i += 2;
        } else {
            s.points = {at, e, e, e};
            s.length = QLineF(at, e).length();
        }
        at = s.points[3];
        s.start = total;
        total += s.length;
        segments.push_back(s);
    }
    std::vector<QPointF> points;
    points.reserve(ts.size());
    for (double t : ts) {
        if (segments.empty() || total <= 0) {
            points.push_back(path.elementCount() > 0 ? QPointF(path.elementAt(0)) : QPointF());
            continue;
        }
        const double wanted = std::clamp(t, 0.0, 1.0) * total;
        auto next = std::upper_bound(segments.begin(), segments.end(), wanted,
                                     [](double l, const Segment& s) { return l < s.start; });
        const Segment& s = *std::prev(next);
        const double f = s.length > 0 ? std::clamp((wanted - s.start) / s.length, 0.0, 1.0) : 0;
        points.push_back(s.curve ? cubicAt(s.points, f)
                                 : s.points[0] + (s.points[1] - s.points[0]) * f);
    }
    return points;
}

} // namespace nc::ui
