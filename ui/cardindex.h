#pragma once
// Where the cards are, for the question that label placement asks for every wire: does this
// box touch any card? A grid of square buckets answers it by looking only at the cards near
// the box, and stops at the first one it touches. Cards stacked at one spot (a file whose
// cards all sit at [0, 0]) share one entry with a count, so a stack of 20,000 costs what one
// card costs. Asking the scene instead lists every card under the box, in stacking order,
// which made opening such a file quadratic.
//
//   CardIndex cards;
//   cards.place(id, item->sceneBoundingRect()); // added or moved
//   if (!cards.intersectsAny(labelBox)) ...

#include "graph_model/ids.h"

#include <QRectF>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace nc::ui {

class CardIndex {
public:
    // Adds the card, or moves it to `rect` if it is already there; false when it was there.
    bool place(nc::graph::NodeId id, const QRectF& rect);
    void remove(nc::graph::NodeId id);
    void clear();
    std::size_t size() const { return m_rects.size(); }
    // Every card's rectangle, by node id.
    const std::unordered_map<nc::graph::NodeId, QRectF>& rects() const { return m_rects; }

    // Whether `box` overlaps (QRectF::intersects: touching edges do not count) any card.
    bool intersectsAny(const QRectF& box) const;

private:
    struct Entry {
        QRectF rect;
        int count = 0;
    };
    struct CellRange {
        std::int64_t left, top, right, bottom;
        std::int64_t count() const { return (right - left + 1) * (bottom - top + 1); }
    };

    static CellRange cellsOf(const QRectF& rect);
    static std::uint64_t key(std::int64_t column, std::int64_t row);
    void add(const QRectF& rect);
    void subtract(const QRectF& rect);

    std::unordered_map<std::uint64_t, std::vector<Entry>> m_cells;
    std::unordered_map<nc::graph::NodeId, QRectF> m_rects;
};

} // namespace nc::ui
