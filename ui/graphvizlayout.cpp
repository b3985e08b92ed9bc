#include "graphvizlayout.h"

#include "wirepath.h"

#include <graphviz/gvc.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace nc::ui {

using namespace nc::graph;

namespace {

constexpr double kPointsPerInch = 72.0;
constexpr double kRankGap = 90;   // between ranks, in scene units
constexpr double kNodeGap = 46;   // between cards of one rank
constexpr double kBandGap = 110;  // between folded bands
constexpr double kWireOffset = 24; // how far a gutter wire keeps from a card's side

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

struct Placed {
    QPointF topLeft; // before folding, scene units (y down)
    QSizeF size;
    int rank = 0;
};

// How the ranks are folded into bands along the main axis (x for left to right).
struct Folding {
    int ranksPerBand = 1;
    std::vector<double> bandStart; // main-axis start of each band, before folding
    double bandStride = 0;         // cross-axis offset from one band to the next
};

double mainOf(QPointF p, bool lr) {
    return lr ? p.x() : p.y();
}
double mainOf(QSizeF s, bool lr) {
    return lr ? s.width() : s.height();
}
double crossOf(QSizeF s, bool lr) {
    return lr ? s.height() : s.width();
}

Folding chooseFolding(const std::map<NodeId, Placed>& placed, bool lr, double aspect) {
    int ranks = 0;
    for (const auto& [id, p] : placed)
        ranks = std::max(ranks, p.rank + 1);
    std::vector<double> rankMin(std::size_t(ranks), 1e300), rankMax(std::size_t(ranks), -1e300);
    double crossMin = 1e300, crossMax = -1e300;
    for (const auto& [id, p] : placed) {
        const double m = mainOf(p.topLeft, lr);
        rankMin[std::size_t(p.rank)] = std::min(rankMin[std::size_t(p.rank)], m);
        rankMax[std::size_t(p.rank)] = std::max(rankMax[std::size_t(p.rank)], m + mainOf(p.size, lr));
        const double c = lr ? p.topLeft.y() : p.topLeft.x();
        crossMin = std::min(crossMin, c);
        crossMax = std::max(crossMax, c + crossOf(p.size, lr));
    }
    const double cross = crossMax - crossMin;
    Folding best;
    double bestScore = 1e300;
    for (int per = ranks; per >= 1; --per) {
        const int bands = (ranks + per - 1) / per;
        double longest = 0;
        for (int b = 0; b < bands; ++b) {
            const int first = b * per, last = std::min(ranks, first + per) - 1;
            longest = std::max(longest, rankMax[std::size_t(last)] - rankMin[std::size_t(first)]);
        }
        const double across = cross * bands + kBandGap * (bands - 1);
        const double shape = lr ? longest / across : across / longest;
        const double score = std::abs(std::log(shape / aspect));
        if (score < bestScore - 1e-9) {
            bestScore = score;
            best.ranksPerBand = per;
        }
    }
    for (int first = 0; first < ranks; first += best.ranksPerBand)
        best.bandStart.push_back(rankMin[std::size_t(first)]);
    best.bandStride = cross + kBandGap;
    return best;
}

// Moves a point of band `band` to its folded place.
QPointF fold(QPointF p, int band, const Folding& f, bool lr) {
    const double main = mainOf(p, lr) - f.bandStart[std::size_t(band)] + f.bandStart[0];
    const double cross = (lr ? p.y() : p.x()) + band * f.bandStride;
    return lr ? QPointF(main, cross) : QPointF(cross, main);
}

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
    set(gv.graph, "ranksep", inches(kRankGap));
    set(gv.graph, "nodesep", inches(kNodeGap));
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
    std::map<NodeId, Placed> placed;
    for (const auto& [id, n] : nodes) {
        const QSizeF size = cards.at(id).size;
        const QPointF centre = toScene(ND_coord(n));
        placed[id] = {centre - QPointF(size.width() / 2, size.height() / 2), size, ND_rank(n)};
    }
    const Folding folding = chooseFolding(placed, lr, aspect);
    auto bandOf = [&](NodeId id) { return placed.at(id).rank / folding.ranksPerBand; };

    GraphLayout layout;
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
        crossMin = std::min(crossMin, lr ? p.topLeft.y() : p.topLeft.x());
    for (const auto& [id, pos] : layout.positions) {
        mainMin = std::min(mainMin, lr ? pos.x : pos.y);
        mainMax = std::max(mainMax, (lr ? pos.x : pos.y) + mainOf(cards.at(id).size, lr));
    }
    auto gutterBefore = [&](int band) {
        return crossMin + band * folding.bandStride - kBandGap / 2;
    };
    // Wires between bands share the gutters and margins: each gets its own lane.
    constexpr double kLane = 11;
    int lane = 0;
    for (const auto& [e, edge] : edges) {
        const QPointF from = portAt(e.outNode, true, e.outPort);
        const QPointF to = portAt(e.inNode, false, e.inPort);
        const int tailBand = bandOf(e.outNode), headBand = bandOf(e.inNode);
        const splines* spl = ED_spl(edge);
        if (!lr && tailBand == headBand) {
            // Cards keep their ports on the sides, so a top-to-bottom wire leaves to the
            // right, crosses in the gap above the target's rank, and enters from the left.
            const double gapAbove =
                layout.positions.at(e.inNode).y - kRankGap / 2 + kLane * (e.inPort % 3);
            layout.routes[e] = roundedPolyline({from,
                                                {from.x() + kWireOffset, from.y()},
                                                {from.x() + kWireOffset, gapAbove},
                                                {to.x() - kWireOffset, gapAbove},
                                                {to.x() - kWireOffset, to.y()},
                                                to});
            continue;
        }
        if (tailBand == headBand && spl && spl->size > 0 && spl->list[0].size >= 4) {
            const bezier& bz = spl->list[0];
            std::vector<QPointF> p;
            for (int i = 0; i < bz.size; ++i)
                p.push_back(fold(toScene(bz.list[i]), tailBand, folding, lr));
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
        if (tailBand >= headBand)
            continue; // left to the default curve
        const double shift = kLane * lane++;
        const double after = gutterBefore(tailBand + 1) - kBandGap / 4 + shift;
        const double before = gutterBefore(headBand) + kBandGap / 4 - shift;
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
