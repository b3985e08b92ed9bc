#include "layeredlayout.h"

#include "graph_model/topology.h"

#include <algorithm>
#include <unordered_map>

namespace nc::ui {

using namespace nc::graph;

namespace {

// Each node's rank: one past the highest rank feeding it (nodes in a reference loop, which
// have no order, after what they are wired from).
std::vector<std::vector<NodeId>> ranks(const Graph& graph) {
    const DependencyOrder order = dependencyOrder(graph);
    std::vector<NodeId> all = order.order;
    all.insert(all.end(), order.cyclic.begin(), order.cyclic.end());
    std::unordered_map<NodeId, int> rank;
    rank.reserve(all.size());
    std::vector<std::vector<NodeId>> columns;
    for (NodeId id : all) {
        int r = 0;
        for (const Edge& e : graph.edgesInto(id))
            if (auto from = rank.find(e.outNode); from != rank.end())
                r = std::max(r, from->second + 1);
        rank[id] = r;
        if (std::size_t(r) >= columns.size())
            columns.resize(std::size_t(r) + 1);
        columns[std::size_t(r)].push_back(id);
    }
    return columns;
}

// Alternate sweeps: order each rank by the mean place of its neighbours in the rank before
// (down) or after (up).
void orderWithinRanks(const Graph& graph, std::vector<std::vector<NodeId>>& columns) {
    std::unordered_map<NodeId, double> place;
    auto renumber = [&place](const std::vector<NodeId>& column) {
        for (std::size_t i = 0; i < column.size(); ++i)
            place[column[i]] = double(i);
    };
    for (const auto& column : columns)
        renumber(column);
    std::unordered_map<NodeId, double> centre;
    for (int sweep = 0; sweep < 6; ++sweep) {
        const bool down = sweep % 2 == 0;
        for (std::size_t k = 0; k < columns.size(); ++k) {
            std::vector<NodeId>& column = columns[down ? k : columns.size() - 1 - k];
            if (column.size() < 2)
                continue;
            for (NodeId id : column) {
                double sum = 0;
                int n = 0;
                for (const Edge& e : down ? graph.edgesInto(id) : graph.edgesOutOf(id)) {
                    sum += place[down ? e.outNode : e.inNode];
                    ++n;
                }
                centre[id] = n ? sum / n : place[id];
            }
            std::stable_sort(column.begin(), column.end(),
                             [&centre](NodeId a, NodeId b) { return centre[a] < centre[b]; });
            renumber(column);
        }
    }
}

} // namespace

GraphLayout layeredLayout(const Graph& graph, LayoutDirection direction,
                          const std::function<CardGeometry(NodeId)>& card, double aspect) {
    const bool lr = direction == LayoutDirection::LeftToRight;
    std::vector<std::vector<NodeId>> columns = ranks(graph);
    orderWithinRanks(graph, columns);
    std::map<NodeId, CardGeometry> cards;
    for (NodeId id : graph.nodeIds())
        cards.emplace(id, card(id));
    // Ranks one after another along the flow, each as deep as its largest card; the cards of a
    // rank side by side across it, centred on the flow's axis.
    std::map<NodeId, PlacedCard> placed;
    double main = 0;
    for (std::size_t r = 0; r < columns.size(); ++r) {
        double depth = 0, breadth = 0;
        for (NodeId id : columns[r]) {
            const QSizeF size = cards.at(id).size;
            depth = std::max(depth, lr ? size.width() : size.height());
            breadth += (lr ? size.height() : size.width()) + LayoutSpacing::kNodeGap;
        }
        double cross = -(breadth - LayoutSpacing::kNodeGap) / 2;
        for (NodeId id : columns[r]) {
            const QSizeF size = cards.at(id).size;
            const QPointF topLeft = lr ? QPointF(main, cross) : QPointF(cross, main);
            placed[id] = {topLeft, size, int(r)};
            cross += (lr ? size.height() : size.width()) + LayoutSpacing::kNodeGap;
        }
        main += depth + LayoutSpacing::kRankGap;
    }
    return foldIntoBands(graph, placed, cards, direction, aspect, nullptr);
}

} // namespace nc::ui
