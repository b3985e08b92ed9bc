#include "autolayout.h"

#include "canvasstyle.h"

#include "graph_model/topology.h"

#include <algorithm>

namespace nc::ui {

using namespace nc::graph;

std::map<NodeId, Position> layeredLayout(const Graph& graph) {
    constexpr double kColumn = CanvasStyle::kNodeWidth + 70, kRow = 170;
    std::map<NodeId, int> layer;
    DependencyOrder order = dependencyOrder(graph);
    std::vector<NodeId> all = order.order;
    all.insert(all.end(), order.cyclic.begin(), order.cyclic.end());
    int depth = 0;
    for (NodeId id : all) {
        int l = 0;
        for (const Edge& e : graph.edgesInto(id))
            l = std::max(l, layer.count(e.outNode) ? layer[e.outNode] + 1 : 0);
        layer[id] = l;
        depth = std::max(depth, l);
    }
    std::vector<std::vector<NodeId>> columns(std::size_t(depth + 1));
    for (NodeId id : all)
        columns[std::size_t(layer[id])].push_back(id);
    std::map<NodeId, double> rank;
    auto renumber = [&](std::vector<NodeId>& column) {
        for (std::size_t i = 0; i < column.size(); ++i)
            rank[column[i]] = double(i);
    };
    for (auto& column : columns)
        renumber(column);
    // Alternate sweeps: order each column by the mean rank of its neighbours in the previous.
    for (int sweep = 0; sweep < 6; ++sweep) {
        const bool down = sweep % 2 == 0; // down: look at what feeds a layer; up: what it feeds
        std::vector<std::size_t> visit;
        for (std::size_t c = 0; c < columns.size(); ++c)
            visit.push_back(down ? c : columns.size() - 1 - c);
        for (std::size_t c : visit) {
            std::map<NodeId, double> centre;
            for (NodeId id : columns[c]) {
                double sum = 0;
                int n = 0;
                for (const Edge& e : down ? graph.edgesInto(id) : graph.edgesOutOf(id)) {
                    sum += rank[down ? e.outNode : e.inNode];
                    ++n;
                }
                centre[id] = n ? sum / n : rank[id];
            }
            std::stable_sort(columns[c].begin(), columns[c].end(),
                             [&](NodeId a, NodeId b) { return centre[a] < centre[b]; });
            renumber(columns[c]);
        }
    }
    std::map<NodeId, Position> positions;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const double top = -double(columns[c].size() - 1) * kRow / 2;
        for (std::size_t i = 0; i < columns[c].size(); ++i)
            positions[columns[c][i]] = {double(c) * kColumn, top + double(i) * kRow};
    }
    return positions;
}

} // namespace nc::ui
