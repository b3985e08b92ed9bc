#include "stackeditems.h"

#include <QGraphicsItem>

#include <functional>

namespace nc::ui {

StackedItems::Key StackedItems::keyOf(const QRectF& rect) {
    return {rect.x(), rect.y(), rect.width(), rect.height()};
}

StackedItems::Key StackedItems::keyOf(const QPainterPath& path) {
    Key key;
    key.reserve(std::size_t(path.elementCount()) * 3);
    for (int i = 0; i < path.elementCount(); ++i) {
        const QPainterPath::Element& e = path.elementAt(i);
        key.insert(key.end(), {double(e.type), e.x, e.y});
    }
    return key;
}

std::size_t StackedItems::KeyHash::operator()(const Key& key) const noexcept {
    std::size_t h = key.size();
    for (double v : key)
        h ^= std::hash<double>{}(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

void StackedItems::setPaints(QGraphicsItem* item, bool paints) {
    if (bool(item->flags() & QGraphicsItem::ItemHasNoContents) != paints)
        return;
    item->setFlag(QGraphicsItem::ItemHasNoContents, !paints);
    item->update();
}

void StackedItems::leave(QGraphicsItem* item, const Place& place) {
    auto stack = m_stacks.find(place.key);
    if (stack == m_stacks.end())
        return;
    Stack& items = stack->second;
    const bool wasTop = items.rbegin()->second == item;
    items.erase(place.order);
    if (items.empty())
        m_stacks.erase(stack);
    else if (wasTop)
        setPaints(items.rbegin()->second, true);
}

void StackedItems::place(QGraphicsItem* item, Key key) {
    auto [at, added] = m_places.try_emplace(item);
    Place& place = at->second;
    if (added) {
        place.order = m_nextOrder++;
    } else {
        if (place.key == key)
            return;
        leave(item, place);
    }
    place.key = std::move(key);
    Stack& items = m_stacks[place.key];
    const bool top = items.empty() || items.rbegin()->first < place.order;
    if (top && !items.empty())
        setPaints(items.rbegin()->second, false);
    items.emplace(place.order, item);
    setPaints(item, top);
}

void StackedItems::remove(QGraphicsItem* item) {
    auto at = m_places.find(item);
    if (at == m_places.end())
        return;
    leave(item, at->second);
    m_places.erase(at);
}

void StackedItems::clear() {
    m_stacks.clear();
    m_places.clear();
}

} // namespace nc::ui
