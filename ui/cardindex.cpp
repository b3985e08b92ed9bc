#include "cardindex.h"

#include <algorithm>
#include <cmath>

namespace nc::ui {

namespace {

// About a card's width: a card touches at most four buckets, a label box one or two.
constexpr double kCell = 256;

} // namespace

CardIndex::CellRange CardIndex::cellsOf(const QRectF& rect) {
    // Clamped so that a far-off or non-finite coordinate still names a bucket.
    auto cell = [](double v) {
        const double c = std::floor(v / kCell);
        return c > 1e9 ? std::int64_t(1e9) : c >= -1e9 ? std::int64_t(c) : std::int64_t(-1e9);
    };
    return {cell(rect.left()), cell(rect.top()), cell(rect.right()), cell(rect.bottom())};
}

std::uint64_t CardIndex::key(std::int64_t column, std::int64_t row) {
    return (std::uint64_t(column) << 32) ^ std::uint64_t(std::uint32_t(row));
}

void CardIndex::add(const QRectF& rect) {
    const CellRange cells = cellsOf(rect);
    for (std::int64_t row = cells.top; row <= cells.bottom; ++row)
        for (std::int64_t column = cells.left; column <= cells.right; ++column) {
            std::vector<Entry>& cell = m_cells[key(column, row)];
            auto same = std::find_if(cell.begin(), cell.end(),
                                     [&](const Entry& e) { return e.rect == rect; });
            if (same != cell.end())
                ++same->count;
            else
                cell.push_back({rect, 1});
        }
}

void CardIndex::subtract(const QRectF& rect) {
    const CellRange cells = cellsOf(rect);
    for (std::int64_t row = cells.top; row <= cells.bottom; ++row)
        for (std::int64_t column = cells.left; column <= cells.right; ++column) {
            auto found = m_cells.find(key(column, row));
            if (found == m_cells.end())
                continue;
            std::vector<Entry>& cell = found->second;
            auto same = std::find_if(cell.begin(), cell.end(),
                                     [&](const Entry& e) { return e.rect == rect; });
            if (same != cell.end() && --same->count == 0) {
                *same = cell.back();
                cell.pop_back();
            }
            if (cell.empty())
                m_cells.erase(found);
        }
}

bool CardIndex::place(nc::graph::NodeId id, const QRectF& rect) {
    auto [at, inserted] = m_rects.try_emplace(id, rect);
    if (!inserted) {
        if (at->second == rect)
            return false;
        subtract(at->second);
        at->second = rect;
    }
    add(rect);
    return true;
}

void CardIndex::remove(nc::graph::NodeId id) {
    auto at = m_rects.find(id);
    if (at == m_rects.end())
        return;
    subtract(at->second);
    m_rects.erase(at);
}

void CardIndex::clear() {
    m_cells.clear();
    m_rects.clear();
}

bool CardIndex::intersectsAny(const QRectF& box) const {
    auto touches = [&box](const std::vector<Entry>& cell) {
        return std::any_of(cell.begin(), cell.end(),
                           [&box](const Entry& e) { return e.rect.intersects(box); });
    };
    const CellRange cells = cellsOf(box);
    // A box wider than the occupied buckets (never a label) is checked bucket by bucket.
    if (cells.count() > std::int64_t(m_cells.size()))
        return std::any_of(m_cells.begin(), m_cells.end(),
                           [&](const auto& cell) { return touches(cell.second); });
    for (std::int64_t row = cells.top; row <= cells.bottom; ++row)
        for (std::int64_t column = cells.left; column <= cells.right; ++column) {
            auto found = m_cells.find(key(column, row));
            if (found != m_cells.end() && touches(found->second))
                return true;
        }
    return false;
}

} // namespace nc::ui
