#include "largegraphs.h"

#include "ui/commands/movenodescommand.h"
#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/graphview.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <algorithm>
#include <vector>

namespace nc::bench {

using namespace nc::graph;
using namespace nc::ui;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Linux: "5" in clear_refs starts the peak (VmHWM) again from the current use.
void resetPeakMemory() {
    QFile refs("/proc/self/clear_refs");
    if (refs.open(QIODevice::WriteOnly))
        refs.write("5");
}

double peakMemoryMiB() {
    QFile status("/proc/self/status");
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    // The line reads "VmHWM:   123456 kB".
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:")) {
            const QList<QByteArray> fields = line.mid(6).simplified().split(' ');
            bool ok = false;
            const double kiB = fields.front().toDouble(&ok);
            return ok && fields.size() == 2 && fields.back() == "kB" ? kiB / 1024 : 0;
        }
    return 0; // not Linux: no figure
}

} // namespace

std::string describe(Placement placement) {
    return placement == Placement::Stacked ? "chain, every card at [0, 0]" : "chain, 50 columns";
}

Graph activationChain(int nodes, Placement placement) {
    Graph g;
    auto at = [placement](int i) {
        return placement == Placement::Stacked
                   ? Position{0, 0}
                   : Position{double(i % 50) * 280, double(i / 50) * 200};
    };
    NodeId previous = g.addNode("Input", at(0)).value();
    nc::core::require(g.setParam(previous, "shape", IntList{16}));
    for (int i = 1; i < nodes; ++i) {
        // Named here: finding a free default name looks through every "activation_<n>".
        const NodeId act = g.addNode("Activation", at(i), "act" + std::to_string(i)).value();
        nc::core::require(g.connect({previous, 0, act, 0}));
        previous = act;
    }
    return g;
}

LargeGraphFigures measureLargeGraph(const Graph& graph, const std::string& path) {
    LargeGraphFigures figures;
    const QString file = QString::fromStdString(path);
    {
        GraphDocument writer;
        writer.reset(graph, {});
        QString error;
        if (!writer.save(file, &error))
            qFatal("%s", qPrintable(error));
    }
    resetPeakMemory();
    MainWindow window;
    window.resize(1600, 1000);
    window.show();
    QApplication::processEvents();

    // Opening as File > Open does, then the whole window drawn once.
    QElapsedTimer t;
    t.start();
    if (!window.openFile(file, false))
        qFatal("cannot open %s", qPrintable(file));
    figures.openMs = t.nsecsElapsed() / 1e6;
    figures.items = window.scene()->nodeItemCount() + window.scene()->edgeItemCount();
    t.restart();
    QApplication::processEvents();
    window.repaint();
    figures.firstFrameMs = t.nsecsElapsed() / 1e6;

    // Edits in the middle of the chain, shown at 100%: the command, what follows it in the
    // event loop, and the canvas repainted.
    GraphDocument* document = window.document();
    GraphView* view = window.view();
    const std::vector<NodeId> ids = document->graph().nodeIds();
    const NodeId middle = ids[ids.size() / 2];
    view->resetZoom();
    view->centerOn(window.scene()->nodeItem(middle));
    QApplication::processEvents();
    std::vector<double> moves, params;
    for (int i = 0; i < 20; ++i) {
        const Position from = document->graph().node(middle)->position;
        t.restart();
        document->undoStack()->push(new MoveNodesCommand(
            document, {{middle, {from.x + (i % 2 ? -30 : 30), from.y}}}, 0, "Move"));
        QApplication::processEvents();
        view->viewport()->repaint();
        moves.push_back(t.nsecsElapsed() / 1e6);
        t.restart();
        setParameter(document, middle, "function", std::string(i % 2 ? "relu" : "tanh"));
        QApplication::processEvents();
        view->viewport()->repaint();
        params.push_back(t.nsecsElapsed() / 1e6);
    }
    figures.moveMs = median(moves);
    figures.paramMs = median(params);
    // Auto Layout (Ctrl+L) as the window runs it, then the fitted view drawn.
    t.restart();
    window.autoLayout();
    QApplication::processEvents();
    view->viewport()->repaint();
    figures.layoutMs = t.nsecsElapsed() / 1e6;
    figures.peakMiB = peakMemoryMiB();
    document->undoStack()->setClean(); // closes without asking
    return figures;
}

} // namespace nc::bench
