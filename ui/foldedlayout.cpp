#include "foldedlayout.h"

#include "wirepath.h"

#include <algorithm>
#include <cmath>

namespace nc::ui {

using namespace nc::graph;

namespace {

constexpr double kWireOffset = 24; // how far a gutter wire keeps from a card's side
constexpr double kLane = 11;       // between wires sharing a gutter

// How the ranks are folded into bands along the main axis (x for left to right).
struct Folding {
    int ranksPerBand = 1;
    std::vector<double> bandStart; // main-axis start of each band, before folding
    double bandStride = 0;         // cross-axis offset from one band to the next
};

double mainOf(QPointF p, bool lr) {
    return lr ? p.x() : p.y();
}
double crossOf(QPointF p, bool lr) {
    return lr ? p.y() : p.x();
}
double mainOf(QSizeF s, bool lr) {
    return lr ? s.width() : s.height();
}
double crossOf(QSizeF s, bool lr) {
    return lr ? s.height() : s.width();
}

Folding chooseFolding(const std::map<NodeId, PlacedCard>& placed, bool lr, double aspect) {
    int ranks = 0;
    for (const auto& [id, p] : placed)
        ranks = std::max(ranks, p.rank + 1);
    std::vector<double> rankMin(std::size_t(ranks), 1e300), rankMax(std::size_t(ranks), -1e300);
    double crossMin = 1e300, crossMax = -1e300;
    for (const auto& [id, p] : placed) {
        const double m = mainOf(p.topLeft, lr);
        rankMin[std::size_t(p.rank)] = std::min(rankMin[std::size_t(p.rank)], m);
        rankMax[std::size_t(p.rank)] = std::max(rankMax[std::size_t(p.rank)], m + mainOf(p.size, lr));
        crossMin = std::min(crossMin, crossOf(p.topLeft, lr));
        crossMax = std::max(crossMax, crossOf(p.topLeft, lr) + crossOf(p.size, lr));
    }
    const double cross = crossMax - crossMin;
    Folding best;
    double bestScore = 1e300;
    // Every band length is tried: the sum of ranks / per is ranks * log(ranks) steps.
    for (int per = ranks; per >= 1; --per) {
        const int bands = (ranks + per - 1) / per;
        double longest = 0;
        for (int b = 0; b < bands; ++b) {
            const int first = b * per, last = std::min(ranks, first + per) - 1;
            longest = std::max(longest, rankMax[std::size_t(last)] - rankMin[std::size_t(first)]);
        }
        const double across = cross * bands + LayoutSpacing::kBandGap * (bands - 1);
        const double shape = lr ? longest / across : across / longest;
        const double score = std::abs(std::log(shape / aspect));
        if (score < bestScore - 1e-9) {
            bestScore = score;
            best.ranksPerBand = per;
        }
    }
    for (int first = 0; first < ranks; first += best.ranksPerBand)
        best.bandStart.push_back(rankMin[std::size_t(first)]);
    best.bandStride = cross + LayoutSpacing::kBandGap;
    return best;
}

// Moves a point of band `band` to its folded place.
QPointF fold(QPointF p, int band, const Folding& f, bool lr) {
    const double main = mainOf(p, lr) - f.bandStart[std::size_t(band)] + f.bandStart[0];
    const double cross = crossOf(p, lr) + band * f.bandStride;
    return lr ? QPointF(main, cross) : QPointF(cross, main);
}

// Wires between bands run along the gutters they cross; two share a gutter only when their
// spans of bands overlap, so each wire gets the lowest lane free over its span (a long chain
// folded into a hundred bands needs one lane, not a hundred).
std::map<Edge, int> gutterLanes(const std::vector<std::pair<Edge, std::pair<int, int>>>& spans) {
    std::vector<std::pair<std::pair<int, int>, Edge>> byStart;
    for (const auto& [edge, span] : spans)
        byStart.push_back({span, edge});
    std::sort(byStart.begin(), byStart.end());
    std::vector<int> laneEnds; // the last band each lane is taken up to
    std::map<Edge, int> lanes;
    for (const auto& [span, edge] : byStart) {
        auto free = std::find_if(laneEnds.begin(), laneEnds.end(),
                                 [first = span.first](int end) { return end < first; });
        if (free == laneEnds.end())
            free = laneEnds.insert(laneEnds.end(), span.second);
        else
            *free = span.second;
        lanes[edge] = int(free - laneEnds.begin());
    }
    return lanes;
}

} // namespace

GraphLayout foldIntoBands(const Graph& graph, const std::map<NodeId, PlacedCard>& placed,
                          const std::map<NodeId, CardGeometry>& cards, LayoutDirection direction,
                          double aspect, const PlacedWire& wire) {
    const bool lr = direction == LayoutDirection::LeftToRight;
    GraphLayout layout;
    if (placed.empty())
        return layout;
    const Folding folding = chooseFolding(placed, lr, aspect);
    auto bandOf = [&](NodeId id) { return placed.at(id).rank / folding.ranksPerBand; };
    for (const auto& [id, p] : placed) {
        const QPointF at = fold(p.topLeft, bandOf(id), folding, lr);
        layout.positions[id] = {std::round(at.x()), std::round(at.y())};
    }
    auto portAt = [&](NodeId id, bool output, PortIndex port) {
        const Position& pos = layout.positions.at(id);
        const CardGeometry& g = cards.at(id);
        return QPointF(pos.x, pos.y) + (output ? g.outputPort(port) : g.inputPort(port));
    };
    // Where the wires between bands run: the gutters between bands (cross axis), and the
    // margins before and after every card (main axis).
    double crossMin = 1e300, mainMin = 1e300, mainMax = -1e300;
    for (const auto& [id, p] : placed)
        crossMin = std::min(crossMin, crossOf(p.topLeft, lr));
    for (const auto& [id, pos] : layout.positions) {
        mainMin = std::min(mainMin, lr ? pos.x : pos.y);
        mainMax = std::max(mainMax, (lr ? pos.x : pos.y) + mainOf(cards.at(id).size, lr));
    }
    auto gutterBefore = [&](int band) {
        return crossMin + band * folding.bandStride - LayoutSpacing::kBandGap / 2;
    };
    const std::vector<Edge> edges = graph.edges();
    std::vector<std::pair<Edge, std::pair<int, int>>> crossing;
    for (const Edge& e : edges)
        if (bandOf(e.outNode) < bandOf(e.inNode))
            crossing.push_back({e, {bandOf(e.outNode) + 1, bandOf(e.inNode)}});
    const std::map<Edge, int> lanes = gutterLanes(crossing);

    for (const Edge& e : edges) {
        const QPointF from = portAt(e.outNode, true, e.outPort);
        const QPointF to = portAt(e.inNode, false, e.inPort);
        const int tailBand = bandOf(e.outNode), headBand = bandOf(e.inNode);
        if (!lr && tailBand == headBand) {
            // Cards keep their ports on the sides, so a top-to-bottom wire leaves to the
            // right, crosses in the gap above the target's rank, and enters from the left.
            const double gapAbove = layout.positions.at(e.inNode).y - LayoutSpacing::kRankGap / 2 +
                                    kLane * (e.inPort % 3);
            layout.routes[e] = roundedPolyline({from,
                                                {from.x() + kWireOffset, from.y()},
                                                {from.x() + kWireOffset, gapAbove},
                                                {to.x() - kWireOffset, gapAbove},
                                                {to.x() - kWireOffset, to.y()},
                                                to});
            continue;
        }
        if (tailBand == headBand) {
            std::optional<std::vector<QPointF>> drawn = wire ? wire(e) : std::nullopt;
            if (!drawn || drawn->size() < 4)
                continue; // the default curve
            std::vector<QPointF>& p = *drawn;
            for (QPointF& point : p)
                point = fold(point, tailBand, folding, lr);
            // Snap the ends to the real ports, keeping each end's tangent.
            p[1] += from - p[0];
            p[0] = from;
            p[p.size() - 2] += to - p.back();
            p.back() = to;
            QPainterPath path(p[0]);
            for (std::size_t i = 1; i + 2 < p.size(); i += 3)
                path.cubicTo(p[i], p[i + 1], p[i + 2]);
            layout.routes[e] = path;
            continue;
        }
        if (tailBand > headBand)
            continue; // a loop back (a reference cycle): the default curve
        const double shift = kLane * lanes.at(e);
        const double after = gutterBefore(tailBand + 1) - LayoutSpacing::kBandGap / 4 + shift;
        const double before = gutterBefore(headBand) + LayoutSpacing::kBandGap / 4 - shift;
        const double margin = mainMin - kWireOffset - shift;
        std::vector<QPointF> points;
        if (lr) // rows: down the gap after the tail, left along the gutter and the margin
            points = {from,
                      {from.x() + kWireOffset, from.y()},
                      {from.x() + kWireOffset, after},
                      {margin, after},
                      {margin, before},
                      {to.x() - kWireOffset, before},
                      {to.x() - kWireOffset, to.y()},
                      to};
        else // columns: below every card, up the gutter, above every card
            points = {from,
                      {from.x() + kWireOffset, from.y()},
                      {from.x() + kWireOffset, mainMax + kWireOffset + shift},
                      {after, mainMax + kWireOffset + shift},
                      {after, margin},
                      {to.x() - kWireOffset, margin},
                      {to.x() - kWireOffset, to.y()},
                      to};
        layout.routes[e] = roundedPolyline(points);
    }
    return layout;
}

} // namespace nc::ui
