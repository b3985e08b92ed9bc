// Large graphs open and edit in time that grows with their size, not faster: opening 4N
// layers (the scene, its labels and a first frame) must cost nothing like the 16 times N that
// a quadratic step would, and an edit must not grow with the graph at all. Each figure is the
// best of a few tries, and the bounds are loose, so that a loaded machine does not fail them;
// the speeds themselves are bench_editor's (docs/editor.md).

#include "bench/largegraphs.h"
#include "ui/applylayout.h"
#include "ui/commands/movenodescommand.h"
#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/graphview.h"
#include "ui/minimap.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <memory>

using namespace nc::graph;
using namespace nc::ui;

namespace {

constexpr int kSmall = 1000, kLarge = 4000;
// Linear growth gives 4, a quadratic step 16.
constexpr double kWorstRatio = 10;

// The chains bench_editor opens (bench/largegraphs.h): cards stacked at [0, 0], or on a grid.
Graph activationChain(int nodes, bool stacked) {
    return nc::bench::activationChain(nodes, stacked ? nc::bench::Placement::Stacked
                                                     : nc::bench::Placement::Grid);
}

// A document shown in a view with its minimap, as in the window.
struct Canvas {
    GraphDocument document;
    GraphScene scene{&document};
    GraphView view;
    std::unique_ptr<Minimap> minimap;
    bool exposed = false;

    Canvas() {
        view.setScene(&scene);
        minimap = std::make_unique<Minimap>(&view);
        view.resize(1200, 800);
        view.show();
        exposed = QTest::qWaitForWindowExposed(&view); // else repaint() paints nothing
    }
};

// The best of `tries` runs of `step`, in milliseconds; `prepare` runs untimed before each.
double bestOf(int tries, const std::function<void()>& prepare, const std::function<void()>& step) {
    double best = 1e300;
    for (int i = 0; i < tries; ++i) {
        prepare();
        QElapsedTimer t;
        t.start();
        step();
        best = std::min(best, t.nsecsElapsed() / 1e6);
    }
    return best;
}

double openingTime(int nodes, bool stacked) {
    const Graph graph = activationChain(nodes, stacked);
    Canvas canvas;
    if (!canvas.exposed)
        return -1;
    Graph copy;
    return bestOf(
        3, [&] { copy = graph; },
        [&] {
            canvas.document.reset(std::move(copy), {});
            canvas.view.fitToContents();
            canvas.view.viewport()->repaint();
            canvas.minimap->repaint();
        });
}

// A card moved and a parameter changed, both through the undo stack, and the view repainted.
double editTime(int nodes, bool stacked) {
    Canvas canvas;
    if (!canvas.exposed)
        return -1;
    canvas.document.reset(activationChain(nodes, stacked), {});
    const std::vector<NodeId> ids = canvas.document.graph().nodeIds();
    const NodeId middle = ids[ids.size() / 2];
    canvas.view.resetZoom();
    canvas.view.centerOn(canvas.scene.nodeItem(middle));
    canvas.view.viewport()->repaint();
    int step = 0;
    return bestOf(
        7, [] {},
        [&] {
            const Position from = canvas.document.graph().node(middle)->position;
            canvas.document.undoStack()->push(new MoveNodesCommand(
                &canvas.document, {{middle, {from.x + (step % 2 ? -30 : 30), from.y}}}, 0,
                "Move"));
            setParameter(&canvas.document, middle, "function",
                         std::string(step++ % 2 ? "relu" : "tanh"));
            canvas.view.viewport()->repaint();
        });
}

// Auto Layout of a stacked chain, past the size Graphviz is given.
double layoutTime(int nodes) {
    Canvas canvas;
    if (!canvas.exposed)
        return -1;
    canvas.document.reset(activationChain(nodes, true), {});
    return bestOf(
        2, [] {},
        [&] {
            applyAutoLayout(&canvas.document, &canvas.scene, LayoutDirection::LeftToRight, 1.6);
            canvas.view.fitToContents();
            canvas.view.viewport()->repaint();
        });
}

} // namespace

class LargeGraphsTest : public QObject {
    Q_OBJECT

private slots:
    void openingGrowsLinearly_data();
    void openingGrowsLinearly();
    void editsDoNotGrowWithTheGraph_data();
    void editsDoNotGrowWithTheGraph();
    void autoLayoutGrowsLinearly();
};

void LargeGraphsTest::openingGrowsLinearly_data() {
    QTest::addColumn<bool>("stacked");
    QTest::newRow("every card at [0, 0]") << true;
    QTest::newRow("50 columns") << false;
}

void LargeGraphsTest::openingGrowsLinearly() {
    QFETCH(bool, stacked);
    const double small = openingTime(kSmall, stacked), large = openingTime(kLarge, stacked);
    QVERIFY2(small >= 0 && large >= 0, "the view was never shown");
    const double ratio = large / std::max(small, 0.01);
    qInfo("open %d nodes: %.1f ms, %d nodes: %.1f ms (%.1fx)", kSmall, small, kLarge, large, ratio);
    QVERIFY2(ratio < kWorstRatio, qPrintable(QString("%1 nodes took %2x the time of %3")
                                                 .arg(kLarge)
                                                 .arg(ratio, 0, 'f', 1)
                                                 .arg(kSmall)));
}

void LargeGraphsTest::editsDoNotGrowWithTheGraph_data() {
    openingGrowsLinearly_data();
}

void LargeGraphsTest::editsDoNotGrowWithTheGraph() {
    QFETCH(bool, stacked);
    const double small = editTime(kSmall, stacked), large = editTime(kLarge, stacked);
    QVERIFY2(small >= 0 && large >= 0, "the view was never shown");
    // Below a millisecond the timer and the machine are most of what is measured.
    const double ratio = std::max(large, 1.0) / std::max(small, 1.0);
    qInfo("edit at %d nodes: %.2f ms, at %d nodes: %.2f ms", kSmall, small, kLarge, large);
    QVERIFY2(ratio < kWorstRatio, qPrintable(QString("an edit at %1 nodes took %2x the time at %3")
                                                 .arg(kLarge)
                                                 .arg(ratio, 0, 'f', 1)
                                                 .arg(kSmall)));
}

void LargeGraphsTest::autoLayoutGrowsLinearly() {
    const int small = int(kGraphvizMostLayers) + 500;
    const double smallMs = layoutTime(small), largeMs = layoutTime(4 * small);
    QVERIFY2(smallMs >= 0 && largeMs >= 0, "the view was never shown");
    const double ratio = largeMs / std::max(smallMs, 0.01);
    qInfo("auto layout %d nodes: %.1f ms, %d nodes: %.1f ms (%.1fx)", small, smallMs, 4 * small,
          largeMs, ratio);
    QVERIFY2(ratio < kWorstRatio, qPrintable(QString("%1 nodes took %2x the time of %3")
                                                 .arg(4 * small)
                                                 .arg(ratio, 0, 'f', 1)
                                                 .arg(small)));
}

QTEST_MAIN(LargeGraphsTest)
#include "tst_largegraphs.moc"
