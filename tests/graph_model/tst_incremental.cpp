// Incremental shape inference recomputes only what an edit touched, and always agrees with
// inference from scratch.

#include "graphbuilder.h"

#include "graph_model/layerregistry.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace nc::graph;
using namespace nc::test;

namespace {

void compareResults(const InferenceResult& live, const InferenceResult& fresh) {
    QCOMPARE(live.totalParams, fresh.totalParams);
    QCOMPARE(live.nodes.size(), fresh.nodes.size());
    for (const auto& [id, n] : fresh.nodes) {
        const NodeInference* l = live.node(id);
        QVERIFY(l);
        QCOMPARE(l->outputs, n.outputs);
        QCOMPARE(l->inputs, n.inputs);
        QCOMPARE(l->paramCount, n.paramCount);
        QCOMPARE(l->diagnostics, n.diagnostics);
    }
    QCOMPARE(live.diagnostics(), fresh.diagnostics());
}

// An example graph whose every change feeds an IncrementalInference, brought up to date once.
struct LiveExample {
    Graph g;
    IncrementalInference live;
    QString error;

    explicit LiveExample(const QString& name) {
        Result<Graph> loaded = loadExample(name);
        if (!loaded) {
            error = QString::fromStdString(loaded.message());
            return;
        }
        g = std::move(loaded).value();
        g.addListener([this](const GraphChange& c) { live.noteChange(c); });
        live.update(g);
    }
    NodeId id(const char* name) const { return g.findByName(name)->id; }
};

} // namespace

class IncrementalTest : public QObject {
    Q_OBJECT

private slots:
    void onlyDownstreamIsRecomputed();
    void tiedDeconvFollowsItsConv();
    void randomEditsAgreeWithScratch();
};

void IncrementalTest::onlyDownstreamIsRecomputed() {
    LiveExample example("modified_cnn");
    QVERIFY2(example.error.isEmpty(), qPrintable(example.error));
    Graph& g = example.g;
    IncrementalInference& live = example.live;
    QCOMPARE(live.lastRecomputed(), g.nodeCount());

    // The wide branch: conv_wide -> pool_wide -> flat_wide -> merge -> drop2 -> logits -> loss.
    QVERIFY(g.setParam(g.findByName("conv_wide")->id, "filters", std::int64_t(16)));
    const InferenceResult& r = live.update(g);
    QCOMPARE(live.lastRecomputed(), std::size_t(7));
    // The views refresh exactly these (and their wires), not the other branch.
    QVERIFY(!live.lastTouchedAll());
    QCOMPARE(live.lastTouched().size(), std::size_t(7));
    for (const char* name : {"conv_wide", "pool_wide", "flat_wide", "merge", "logits"})
        QVERIFY2(std::count(live.lastTouched().begin(), live.lastTouched().end(),
                            g.findByName(name)->id) == 1, name);
    QCOMPARE(std::count(live.lastTouched().begin(), live.lastTouched().end(),
                        g.findByName("conv1")->id), 0);
    QCOMPARE(formatShape(r.node(g.findByName("merge")->id)->outputs[0]), std::string("400"));
    compareResults(r, inferShapes(g));

    // An edit that keeps the output shape stops at the edited node.
    QVERIFY(g.setParam(g.findByName("conv1")->id, "activation", std::string("tanh")));
    live.update(g);
    QCOMPARE(live.lastRecomputed(), std::size_t(1));
    QVERIFY(g.move(g.findByName("conv1")->id, {5, 5}));
    live.update(g);
    QCOMPARE(live.lastRecomputed(), std::size_t(0)); // positions do not affect shapes
    QVERIFY(live.lastTouched().empty());
}

void IncrementalTest::tiedDeconvFollowsItsConv() {
    LiveExample example("conv_autoencoder");
    QVERIFY2(example.error.isEmpty(), qPrintable(example.error));
    Graph& g = example.g;
    IncrementalInference& live = example.live;
    // conv1 reads 1 channel; an RGB input changes what deconv1 (tied to conv1) produces.
    QVERIFY(g.setParam(g.findByName("input")->id, "shape", IntList{3, 28, 28}));
    const InferenceResult& r = live.update(g);
    QCOMPARE(formatShape(r.node(g.findByName("deconv1")->id)->outputs[0]), std::string("3x28x28"));
    compareResults(r, inferShapes(g));
}

void IncrementalTest::randomEditsAgreeWithScratch() {
    LiveExample example("conv_autoencoder");
    QVERIFY2(example.error.isEmpty(), qPrintable(example.error));
    Graph& g = example.g;
    IncrementalInference& live = example.live;
    QRandomGenerator random(7);
    const auto& specs = LayerRegistry::instance().specs();
    int applied = 0;
    for (int step = 0; step < 400; ++step) {
        std::vector<NodeId> ids = g.nodeIds();
        NodeId a = ids[std::size_t(random.bounded(int(ids.size())))];
        NodeId b = ids[std::size_t(random.bounded(int(ids.size())))];
        Status s = Status::ok();
        switch (random.bounded(6)) {
        case 0:
            s = g.addNode(specs[std::size_t(random.bounded(int(specs.size())))].type).isOk()
                    ? Status::ok()
                    : Status::error("x");
            break;
        case 1:
            s = g.removeNode(a);
            break;
        case 2:
            s = g.connect({a, random.bounded(2), b, random.bounded(2)});
            break;
        case 3: {
            std::vector<Edge> edges = g.edges();
            if (!edges.empty())
                s = g.disconnect(edges[std::size_t(random.bounded(int(edges.size())))]);
            break;
        }
        case 4:
            s = g.setParam(a, "filters", std::int64_t(1 + random.bounded(64)));
            break;
        case 5:
            s = g.setParam(a, "kernel_size", IntList{1 + random.bounded(6), 1 + random.bounded(6)});
            break;
        }
        applied += s.isOk();
        compareResults(live.update(g), inferShapes(g));
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QString("diverged after step %1").arg(step)));
    }
    QVERIFY(applied > 100);
}

QTEST_APPLESS_MAIN(IncrementalTest)
#include "tst_incremental.moc"
