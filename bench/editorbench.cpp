// Editor speed (a benchmark, not a test): on a 500-node graph, the time from a parameter
// edit to repainted labels and the frame time while panning and zooming; opening and saving
// a 5,000-node graph and an edit in it; opening chains of 5,000 and 20,000 Activation layers,
// stacked at [0, 0] and on a grid, with their peak memory. Goals: under 16 ms per edit, 60
// frames per second, 5,000 nodes open under 500 ms, 20,000 open and drawn under 2 s in under
// 500 MB. `make bench`; `bench_editor --large` runs only the chains.

#include "largegraphs.h"

#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/graphview.h"

#include "graph_model/graphjson.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <vector>

using namespace nc::graph;
using namespace nc::ui;

namespace {

// Residual blocks (Conv2D "same" -> BatchNorm -> Activation -> Add) laid out in rows.
Graph blocks(int nodes) {
    Graph g;
    NodeId input = g.addNode("Input").value();
    nc::core::require(g.setParam(input, "shape", IntList{16, 32, 32}));
    NodeId previous = input;
    int i = 0;
    auto place = [&](NodeId id) {
        nc::core::require(g.move(id, {double(i % 20) * 270, double(i / 20) * 200}));
        ++i;
    };
    place(input);
    while (int(g.nodeCount()) + 4 <= nodes) {
        NodeId conv = g.addNode("Conv2D").value();
        nc::core::require(g.setParam(conv, "filters", std::int64_t(16)));
        nc::core::require(g.setParam(conv, "padding", std::string("same")));
        NodeId bn = g.addNode("BatchNorm").value(), act = g.addNode("Activation").value(),
               add = g.addNode("Add").value();
        for (NodeId id : {conv, bn, act, add})
            place(id);
        nc::core::require(g.connect({previous, 0, conv, 0}));
        nc::core::require(g.connect({conv, 0, bn, 0}));
        nc::core::require(g.connect({bn, 0, act, 0}));
        nc::core::require(g.connect({act, 0, add, 0}));
        nc::core::require(g.connect({previous, 0, add, 1}));
        previous = add;
    }
    return g;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

// One chain of Activation layers, measured in this process.
void largeGraph(int nodes, nc::bench::Placement placement) {
    using namespace nc::bench;
    QTemporaryDir dir;
    const LargeGraphFigures f =
        measureLargeGraph(activationChain(nodes, placement), dir.filePath("chain.json").toStdString());
    std::printf("%d nodes (%s): open %.0f ms, first frame %.0f ms (goal < 2000 together), %zu "
                "items, peak %.0f MiB (goal < 500); move a card %.2f ms, change a parameter %.2f ms "
                "median (goal < 16); auto layout %.0f ms\n",
                nodes, describe(placement).c_str(), f.openMs, f.firstFrameMs, f.items, f.peakMiB,
                f.moveMs, f.paramMs, f.layoutMs);
}

// Each chain in a process of its own, so that each peak memory is that graph's alone.
void largeGraphs() {
    for (const char* nodes : {"5000", "20000"})
        for (const char* placement : {"stacked", "grid"}) {
            std::fflush(stdout);
            QProcess::execute(QCoreApplication::applicationFilePath(),
                              {"--large-graph", nodes, placement});
        }
}

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the window's settings stay out of the user's
    QSettings().clear();
    const QStringList args = app.arguments();
    if (args.size() == 4 && args[1] == "--large-graph") {
        largeGraph(args[2].toInt(),
                   args[3] == "grid" ? nc::bench::Placement::Grid : nc::bench::Placement::Stacked);
        return 0;
    }
    if (args.contains("--large")) {
        largeGraphs();
        return 0;
    }
    GraphDocument doc;
    GraphScene scene(&doc);
    GraphView view;
    view.setScene(&scene);
    view.resize(1600, 1000);
    view.show();
    doc.reset(blocks(500), {});
    view.fitToContents();
    view.zoomBy(1.0 / view.zoom()); // at 100%, as when editing
    QApplication::processEvents();

    // Edit -> labels repainted: the first conv's filters ripple through every block.
    const NodeId conv = doc.graph().findByName("conv2d_1")->id;
    view.centerOn(scene.nodeItem(conv));
    std::vector<double> edits;
    for (int i = 0; i < 30; ++i) {
        QElapsedTimer t;
        t.start();
        setParameter(&doc, conv, "kernel_size", IntList{i % 2 ? 3 : 5, i % 2 ? 3 : 5});
        view.viewport()->repaint();
        edits.push_back(t.nsecsElapsed() / 1e6);
    }
    // Panning and zooming frames at 100% and at fit-to-view.
    std::vector<double> panFrames, zoomFrames;
    for (int i = 0; i < 60; ++i) {
        QElapsedTimer t;
        t.start();
        view.horizontalScrollBar()->setValue(view.horizontalScrollBar()->value() +
                                             (i < 30 ? 25 : -25));
        view.viewport()->repaint();
        panFrames.push_back(t.nsecsElapsed() / 1e6);
    }
    view.fitToContents();
    for (int i = 0; i < 40; ++i) {
        QElapsedTimer t;
        t.start();
        view.zoomBy(i < 20 ? 1.05 : 1 / 1.05);
        view.viewport()->repaint();
        zoomFrames.push_back(t.nsecsElapsed() / 1e6);
    }

    // Opening and saving 5,000 nodes (the scene included).
    QTemporaryDir dir;
    const QString path = dir.filePath("big.json");
    GraphDocument big;
    big.reset(blocks(5000), {});
    QString error;
    QElapsedTimer t;
    t.start();
    big.save(path, &error);
    const double saveMs = t.nsecsElapsed() / 1e6;
    GraphDocument opened;
    GraphScene openedScene(&opened);
    t.restart();
    opened.load(path, &error);
    const double openMs = t.nsecsElapsed() / 1e6;
    // An edit in the 5,000-node graph, shown in a view at 100%: the first conv's change
    // ripples through the blocks after it.
    GraphView bigView;
    bigView.setScene(&openedScene);
    bigView.resize(1600, 1000);
    bigView.show();
    const NodeId bigConv = opened.graph().findByName("conv2d_1")->id;
    bigView.centerOn(openedScene.nodeItem(bigConv));
    QApplication::processEvents();
    std::vector<double> bigEdits;
    for (int i = 0; i < 20; ++i) {
        QElapsedTimer e;
        e.start();
        setParameter(&opened, bigConv, "kernel_size", IntList{i % 2 ? 3 : 5, i % 2 ? 3 : 5});
        bigView.viewport()->repaint();
        bigEdits.push_back(e.nsecsElapsed() / 1e6);
    }

    std::printf("500 nodes: edit to repainted labels %.2f ms median (goal < 16)\n", median(edits));
    std::printf("500 nodes: pan frame %.2f ms median (%.0f fps), zoom frame at fit %.2f ms median "
                "(%.0f fps)\n",
                median(panFrames), 1000 / median(panFrames), median(zoomFrames),
                1000 / median(zoomFrames));
    std::printf("5,000 nodes: save %.1f ms, open with the scene %.1f ms (%zu items; goal < 500), "
                "edit to repainted labels %.2f ms median (goal < 16)\n",
                saveMs, openMs, openedScene.nodeItemCount() + openedScene.edgeItemCount(),
                median(bigEdits));
    largeGraphs();
    return 0;
}
