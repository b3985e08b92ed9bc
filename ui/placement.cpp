#include "placement.h"

#include "canvasstyle.h"

#include <QRectF>

#include <algorithm>
#include <cmath>

namespace nc::ui {

using namespace nc::graph;

namespace {

// A card's footprint with a margin (cards are at most about this tall).
constexpr double kCardHeight = 150, kMargin = 16;

QRectF footprint(Position p) {
    return QRectF(p.x - kMargin, p.y - kMargin, CanvasStyle::kNodeWidth + 2 * kMargin,
                  kCardHeight + 2 * kMargin);
}

bool isFree(const Graph& graph, const std::vector<Position>& group, Position offset,
            const std::vector<NodeId>& ignore) {
    for (NodeId id : graph.nodeIds()) {
        if (std::find(ignore.begin(), ignore.end(), id) != ignore.end())
            continue;
        const QRectF other = footprint(graph.node(id)->position);
        for (const Position& p : group)
            if (footprint({p.x + offset.x, p.y + offset.y}).intersects(other))
                return false;
    }
    return true;
}

// Candidates in rings around the wanted offset, nearest first: below, right, above, left.
Position search(const Graph& graph, const std::vector<Position>& group, Position wanted,
                const std::vector<NodeId>& ignore) {
    constexpr double kStep = 40;
    if (isFree(graph, group, wanted, ignore))
        return wanted;
    for (int ring = 1; ring < 200; ++ring) {
        const double d = ring * kStep;
        const Position tries[] = {{wanted.x, wanted.y + d},
                                  {wanted.x + d, wanted.y},
                                  {wanted.x, wanted.y - d},
                                  {wanted.x - d, wanted.y},
                                  {wanted.x + d, wanted.y + d}};
        for (const Position& t : tries)
            if (isFree(graph, group, t, ignore))
                return t;
    }
    return wanted;
}

} // namespace

Position freePosition(const Graph& graph, Position wanted, const std::vector<NodeId>& ignore) {
    return search(graph, {{0, 0}}, wanted, ignore);
}

Position freeOffset(const Graph& graph, const std::vector<Position>& group, Position wanted) {
    return search(graph, group, wanted, {});
}

} // namespace nc::ui
