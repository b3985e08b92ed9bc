#pragma once
// Items drawn exactly over one another: cards at one place (a file that leaves every card at
// [0, 0]) and the identical wires between them. Only the top item of each stack paints; the
// ones under it get ItemHasNoContents, so a stack of 20,000 costs one item's painting, and one
// cached pixmap, per frame instead of 20,000. They stay in the scene: selectable, hit-tested
// and moved as before, and the next one paints as soon as the top one leaves the stack.
//
// An item's key is what it draws (a card's scene rectangle, a wire's path); items with equal
// keys form a stack. The top is the item added to the scene last, as Qt stacks siblings of one
// z value, so place() an item first right after adding it, and keep one StackedItems per z.
//
//   m_cards.place(item, StackedItems::keyOf(item->sceneBoundingRect()));
//   m_cards.remove(item); // before deleting it

#include <QPainterPath>
#include <QRectF>

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

class QGraphicsItem;

namespace nc::ui {

class StackedItems {
public:
    using Key = std::vector<double>;
    static Key keyOf(const QRectF& rect);
    static Key keyOf(const QPainterPath& path);

    // Adds the item, or moves it to another stack if its key changed.
    void place(QGraphicsItem* item, Key key);
    void remove(QGraphicsItem* item);
    // Forgets every item (the scene was cleared).
    void clear();

private:
    struct KeyHash {
        std::size_t operator()(const Key& key) const noexcept;
    };
    struct Place {
        Key key;
        std::uint64_t order = 0;
    };
    using Stack = std::map<std::uint64_t, QGraphicsItem*>; // by order: the top is last

    void leave(QGraphicsItem* item, const Place& place);
    static void setPaints(QGraphicsItem* item, bool paints);

    std::unordered_map<Key, Stack, KeyHash> m_stacks;
    std::unordered_map<QGraphicsItem*, Place> m_places;
    std::uint64_t m_nextOrder = 0;
};

} // namespace nc::ui
