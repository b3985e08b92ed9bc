#include "graphvizlayout.h"

#include <graphviz/gvc.h>

#include <string>
#include <vector>

namespace nc::ui {

using namespace nc::graph;

namespace {

constexpr double kPointsPerInch = 72.0;

void set(void* object, const char* name, const std::string& value) {
    agsafeset(object, const_cast<char*>(name), const_cast<char*>(value.c_str()),
              const_cast<char*>(""));
}

std::string inches(double units) {
    return std::to_string(units / kPointsPerInch);
}

// Graphviz state, released in the right order whatever happens.
struct GraphvizSession {
    GVC_t* context = gvContext();
    Agraph_t* graph = nullptr;
    bool laidOut = false;
    ~GraphvizSession() {
        if (laidOut)
            gvFreeLayout(context, graph);
        if (graph)
            agclose(graph);
        gvFreeContext(context);
    }
};

} // namespace

nc::core::Result<GraphLayout> graphvizLayout(const Graph& graph, LayoutDirection direction,
                                             const std::function<CardGeometry(NodeId)>& card,
                                             double aspect) {
    const bool lr = direction == LayoutDirection::LeftToRight;
    GraphvizSession gv;
    if (!gv.context)
        return Status::error("Graphviz could not start (gvContext failed)");
    gv.graph = agopen(const_cast<char*>("netcanvas"), Agdirected, nullptr);
    set(gv.graph, "rankdir", lr ? "LR" : "TB");
    set(gv.graph, "ranksep", inches(LayoutSpacing::kRankGap));
    set(gv.graph, "nodesep", inches(LayoutSpacing::kNodeGap));
    set(gv.graph, "splines", "spline");
    std::map<NodeId, Agnode_t*> nodes;
    std::map<NodeId, CardGeometry> cards;
    for (NodeId id : graph.nodeIds()) {
        CardGeometry geometry = card(id);
        std::string name = "n" + std::to_string(id);
        Agnode_t* n = agnode(gv.graph, name.data(), 1);
        set(n, "shape", "box");
        set(n, "fixedsize", "true");
        set(n, "label", "");
        set(n, "width", inches(geometry.size.width()));
        set(n, "height", inches(geometry.size.height()));
        nodes[id] = n;
        cards.emplace(id, std::move(geometry));
    }
    std::map<Edge, Agedge_t*> edges;
    int edgeNumber = 0;
    for (const Edge& e : graph.edges()) {
        std::string name = "e" + std::to_string(edgeNumber++);
        Agedge_t* edge = agedge(gv.graph, nodes.at(e.outNode), nodes.at(e.inNode), name.data(), 1);
        // Along the flow: out of the tail's far side, into the head's near side (the ends are
        // moved to the real ports afterwards, keeping these tangents).
        set(edge, "tailport", lr ? "e" : "s");
        set(edge, "headport", lr ? "w" : "n");
        set(edge, "dir", "none");
        edges[e] = edge;
    }
    if (gvLayout(gv.context, gv.graph, "dot") != 0)
        return Status::error("Graphviz's dot layout failed (is the graphviz dot plugin installed?)");
    gv.laidOut = true;

    // Graphviz works in points with y up; the canvas in units with y down.
    const double top = GD_bb(gv.graph).UR.y;
    auto toScene = [top](pointf p) { return QPointF(p.x, top - p.y); };
    std::map<NodeId, PlacedCard> placed;
    for (const auto& [id, n] : nodes) {
        const QSizeF size = cards.at(id).size;
        const QPointF centre = toScene(ND_coord(n));
        placed[id] = {centre - QPointF(size.width() / 2, size.height() / 2), size, ND_rank(n)};
    }
    auto wire = [&](const Edge& e) -> std::optional<std::vector<QPointF>> {
        const splines* spl = ED_spl(edges.at(e));
        if (!spl || spl->size == 0)
            return std::nullopt;
        const bezier& bz = spl->list[0];
        std::vector<QPointF> points;
        for (int i = 0; i < bz.size; ++i)
            points.push_back(toScene(bz.list[i]));
        return points;
    };
    return foldIntoBands(graph, placed, cards, direction, aspect, wire);
}

} // namespace nc::ui
