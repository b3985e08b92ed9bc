// Auto-layout through Graphviz: no card on another, branches side by side, long chains
// folded into bands of the view's shape, every routed wire from port to port and never
// through a card, both directions, one undoable step, and the same result every time.

#include "ui/applylayout.h"
#include "ui/edgeitem.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/graphvizlayout.h"
#include "ui/layeredlayout.h"
#include "ui/nodeitem.h"

#include "graph_model/graph.h"

#include "uitesting.h"
#include <QUndoStack>

#include <QtTest>

using namespace nc::graph;
using namespace nc::ui;
using nc::test::loadExample;

namespace {

// Input -> n Dense layers -> MSE.
Graph chain(int layers) {
    Graph g;
    NodeId previous = g.addNode("Input").value();
    nc::core::require(g.setParam(previous, "shape", IntList{16}));
    for (int i = 0; i < layers; ++i) {
        NodeId dense = g.addNode("Dense").value();
        nc::core::require(g.setParam(dense, "units", std::int64_t(16)));
        nc::core::require(g.connect({previous, 0, dense, 0}));
        previous = dense;
    }
    nc::core::require(g.setParam(1, "target_shape", IntList{16}));
    NodeId loss = g.addNode("MSE").value();
    nc::core::require(g.connect({previous, 0, loss, 0}));
    nc::core::require(g.connect({1, 1, loss, 1}));
    return g;
}

CardGeometry fixedCard(NodeId) {
    CardGeometry g;
    g.size = QSizeF(196, 110);
    g.outputPort = [](PortIndex p) { return QPointF(196, 90 + 19 * p); };
    g.inputPort = [](PortIndex p) { return QPointF(0, 90 + 19 * p); };
    return g;
}

QRectF cardRect(const GraphLayout& layout, NodeId id) {
    const Position& p = layout.positions.at(id);
    return QRectF(p.x, p.y, 196, 110);
}

// No two cards overlap; every route starts and ends at its ports and passes through no card
// (its own two cards' port sides aside). The built-in layering leaves a wire within one row
// its default curve (`everyWireRouted` false).
void expectTidy(const Graph& graph, const GraphLayout& layout, bool everyWireRouted = true) {
    QCOMPARE(layout.positions.size(), graph.nodeCount());
    const auto ids = graph.nodeIds();
    for (std::size_t i = 0; i < ids.size(); ++i)
        for (std::size_t j = i + 1; j < ids.size(); ++j)
            QVERIFY2(!cardRect(layout, ids[i])
                          .adjusted(-4, -4, 4, 4)
                          .intersects(cardRect(layout, ids[j])),
                     qPrintable(QString("cards %1 and %2 overlap").arg(ids[i]).arg(ids[j])));
    for (const Edge& e : graph.edges()) {
        if (!everyWireRouted && !layout.routes.count(e))
            continue;
        QVERIFY2(layout.routes.count(e), "an edge has no route");
        const QPainterPath& path = layout.routes.at(e);
        const QPointF from =
            cardRect(layout, e.outNode).topLeft() + QPointF(196, 90 + 19 * e.outPort);
        const QPointF to = cardRect(layout, e.inNode).topLeft() + QPointF(0, 90 + 19 * e.inPort);
        QVERIFY(QLineF(path.pointAtPercent(0), from).length() < 0.5);
        QVERIFY(QLineF(path.pointAtPercent(1), to).length() < 0.5);
        for (int k = 1; k < 100; ++k) {
            const QPointF p = path.pointAtPercent(k / 100.0);
            for (NodeId id : ids) {
                // Shrunk a little: a spline may graze a card's side next to its port.
                if (cardRect(layout, id).adjusted(12, 12, -12, -12).contains(p))
                    QFAIL(qPrintable(QString("the wire %1->%2 passes through card %3 at (%4, %5)")
                                         .arg(e.outNode)
                                         .arg(e.inNode)
                                         .arg(id)
                                         .arg(p.x())
                                         .arg(p.y())));
            }
        }
    }
}

} // namespace

class AutoLayoutTest : public QObject {
    Q_OBJECT

private slots:
    void longChainFoldsIntoRowsOfTheViewsShape() {
        const Graph g = chain(18); // 20 cards: Input, 18 Dense, MSE
        auto layout = graphvizLayout(g, LayoutDirection::LeftToRight, fixedCard, 1.6);
        QVERIFY2(layout.isOk(), layout.message().c_str());
        expectTidy(g, layout.value());
        QRectF bounds;
        for (NodeId id : g.nodeIds())
            bounds = bounds.united(cardRect(layout.value(), id));
        const double aspect = bounds.width() / bounds.height();
        QVERIFY2(aspect > 0.8 && aspect < 3.2, qPrintable(QString::number(aspect)));
        // Readable at "fit" in a 1200x750 view: the fitted scale keeps cards legible.
        const double fit = std::min(1200 / bounds.width(), 750 / bounds.height());
        qInfo("20 cards in a 1200x750 view: %.0f%% at fit", fit * 100);
        QVERIFY2(fit > 0.6, qPrintable(QString::number(fit)));
    }

    void branchesSitSideBySide() {
        GraphDocument doc;
        loadExample(doc, "modified_cnn");
        const Graph& g = doc.graph();
        auto layout = graphvizLayout(g, LayoutDirection::LeftToRight, fixedCard, 1.6);
        QVERIFY2(layout.isOk(), layout.message().c_str());
        expectTidy(g, layout.value());
        const Position a = layout.value().positions.at(g.findByName("conv1")->id);
        const Position b = layout.value().positions.at(g.findByName("conv_wide")->id);
        QCOMPARE(a.x, b.x); // the same rank
        QVERIFY(std::abs(a.y - b.y) >= 110);
    }

    void topToBottom() {
        const Graph g = chain(4);
        // A tall view: one column, no folding.
        auto layout = graphvizLayout(g, LayoutDirection::TopToBottom, fixedCard, 0.2);
        QVERIFY2(layout.isOk(), layout.message().c_str());
        expectTidy(g, layout.value());
        const auto ids = g.nodeIds();
        for (std::size_t i = 1; i + 1 < ids.size(); ++i) // each layer below the one feeding it
            QVERIFY(layout.value().positions.at(ids[i + 1]).y >
                    layout.value().positions.at(ids[i]).y);
    }

    void topToBottomFoldsIntoColumns() {
        GraphDocument doc;
        loadExample(doc, "modified_cnn");
        auto layout = graphvizLayout(doc.graph(), LayoutDirection::TopToBottom, fixedCard, 1.6);
        QVERIFY2(layout.isOk(), layout.message().c_str());
        expectTidy(doc.graph(), layout.value());
    }

    void sameGraphSameLayout() {
        GraphDocument doc;
        loadExample(doc, "conv_autoencoder");
        auto first = graphvizLayout(doc.graph(), LayoutDirection::LeftToRight, fixedCard, 1.6);
        auto second = graphvizLayout(doc.graph(), LayoutDirection::LeftToRight, fixedCard, 1.6);
        QVERIFY(first.isOk() && second.isOk());
        QVERIFY(first.value().positions == second.value().positions);
    }

    // The built-in layering (large graphs, or no Graphviz): tidy, folded to the view's shape,
    // branches side by side, in both directions.
    void builtInLayeringIsTidy() {
        const Graph g = chain(18);
        const GraphLayout rows = layeredLayout(g, LayoutDirection::LeftToRight, fixedCard, 1.6);
        expectTidy(g, rows, false);
        QRectF bounds;
        for (NodeId id : g.nodeIds())
            bounds = bounds.united(cardRect(rows, id));
        const double aspect = bounds.width() / bounds.height();
        QVERIFY2(aspect > 0.8 && aspect < 3.2, qPrintable(QString::number(aspect)));
        expectTidy(g, layeredLayout(g, LayoutDirection::TopToBottom, fixedCard, 1.6), false);

        GraphDocument doc;
        loadExample(doc, "modified_cnn");
        const GraphLayout branches =
            layeredLayout(doc.graph(), LayoutDirection::LeftToRight, fixedCard, 0.5);
        expectTidy(doc.graph(), branches, false);
        const Position a = branches.positions.at(doc.graph().findByName("conv1")->id);
        const Position b = branches.positions.at(doc.graph().findByName("conv_wide")->id);
        QCOMPARE(a.x, b.x);
        QVERIFY(std::abs(a.y - b.y) >= 110);
    }

    // Past kGraphvizMostLayers the action takes the built-in layering and says so: no two
    // cards overlap, and the rows fill a view of the given shape.
    void largeGraphsTakeTheBuiltInLayering() {
        GraphDocument doc;
        doc.reset(chain(int(kGraphvizMostLayers) + 100), {});
        GraphScene scene(&doc);
        const QString note = applyAutoLayout(&doc, &scene, LayoutDirection::LeftToRight, 1.6);
        QVERIFY2(note.contains("built-in"), qPrintable(note));
        std::vector<QRectF> cards;
        QRectF bounds;
        for (NodeId id : doc.graph().nodeIds()) {
            cards.push_back(scene.nodeItem(id)->sceneBoundingRect());
            bounds = bounds.united(cards.back());
        }
        std::sort(cards.begin(), cards.end(), [](const QRectF& a, const QRectF& b) {
            return a.left() < b.left();
        });
        for (std::size_t i = 0; i < cards.size(); ++i)
            for (std::size_t j = i + 1; j < cards.size() && cards[j].left() < cards[i].right(); ++j)
                QVERIFY2(!cards[i].intersects(cards[j]), "two cards overlap");
        const double aspect = bounds.width() / bounds.height();
        QVERIFY2(aspect > 0.8 && aspect < 3.2, qPrintable(QString::number(aspect)));
    }

    // Through the scene: one undo step, the wires take the routes, and undo restores all.
    void oneUndoableStepWithRoutedWires() {
        GraphDocument doc;
        loadExample(doc, "modified_cnn");
        GraphScene scene(&doc);
        std::map<NodeId, Position> before;
        for (NodeId id : doc.graph().nodeIds())
            before[id] = doc.graph().node(id)->position;
        const int commands = doc.undoStack()->count();
        QCOMPARE(applyAutoLayout(&doc, &scene, LayoutDirection::TopToBottom, 1.0), QString());
        QCOMPARE(doc.undoStack()->count(), commands + 1);
        for (const Edge& e : doc.graph().edges()) {
            const QPainterPath path = scene.edgeItem(e)->path();
            QVERIFY(QLineF(path.pointAtPercent(0),
                           scene.nodeItem(e.outNode)->portScenePos({true, e.outPort}))
                        .length() < 0.5);
            QVERIFY(QLineF(path.pointAtPercent(1),
                           scene.nodeItem(e.inNode)->portScenePos({false, e.inPort}))
                        .length() < 0.5);
        }
        // Shape labels sit on their wires, clear of every card.
        for (const Edge& e : doc.graph().edges()) {
            const QRectF label = scene.edgeItem(e)->labelRect();
            QVERIFY(!label.isEmpty());
            for (NodeId id : doc.graph().nodeIds())
                QVERIFY2(!scene.nodeItem(id)->sceneBoundingRect().intersects(label),
                         qPrintable(QString("the label of %1->%2 covers card %3")
                                        .arg(e.outNode)
                                        .arg(e.inNode)
                                        .arg(id)));
        }
        doc.undoStack()->undo();
        for (NodeId id : doc.graph().nodeIds())
            QCOMPARE(doc.graph().node(id)->position, before[id]);
    }
};

QTEST_MAIN(AutoLayoutTest)
#include "tst_autolayout.moc"
