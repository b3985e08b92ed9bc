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
    void editInALongChainCostsWhatItReaches();
};

void IncrementalTest::onlyDownstreamIsRecomputed() {
    LiveExample example("modified_cnn");
    QVERIFY2(example.error.isEmpty(), qPrintable(example.error));
    Graph& g = example.g;
    IncrementalInference& live = example.live;
    QCOMPARE(live.lastRecomputed(), g.nodeCount());

    // The wide branch: conv_wide -> pool_wide -> flat_wide -> merge -> drop2 -> logits; the
    // loss after logits reads only its output, which stays 10.
    QVERIFY(g.setParam(g.findByName("conv_wide")->id, "filters", std::int64_t(16)));
    const InferenceResult& r = live.update(g);
    QCOMPARE(live.lastRecomputed(), std::size_t(6));
    // The views refresh exactly these (and their wires), not the other branch.
    QVERIFY(!live.lastTouchedAll());
    QCOMPARE(live.lastTouched().size(), std::size_t(6));
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
        switch (random.bounded(8)) {
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
        case 6: // a reference, possibly to a node added after the holder
            s = g.setParam(a, "tie_weights_to", std::int64_t(b));
            break;
        case 7: { // removed and put back, as undo does: the node first, then its wires
            const Node copy = *g.node(a);
            const std::vector<Edge> in = g.edgesInto(a), out = g.edgesOutOf(a);
            s = g.removeNode(a);
            if (s.isOk())
                s = g.insertNode(copy);
            for (const Edge& e : in)
                (void)g.connect(e);
            for (const Edge& e : out)
                (void)g.connect(e);
            break;
        }
        }
        applied += s.isOk();
        compareResults(live.update(g), inferShapes(g));
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QString("diverged after step %1").arg(step)));
    }
    QVERIFY(applied > 100);
}

// An edit costs what it reaches, not the size of the graph: in a chain of 20,000 layers a
// change that keeps every shape recomputes one node, and one that changes a shape recomputes
// the nodes it reaches.
void IncrementalTest::editInALongChainCostsWhatItReaches() {
    Graph g;
    IncrementalInference live;
    g.addListener([&live](const GraphChange& c) { live.noteChange(c); });
    const NodeId input = g.addNode("Input").value();
    QVERIFY(g.setParam(input, "shape", IntList{16}));
    const NodeId dense = g.addNode("Dense").value();
    QVERIFY(g.connect({input, 0, dense, 0}));
    std::vector<NodeId> chain{input, dense};
    for (int i = 2; i < 20000; ++i) {
        const NodeId next = g.addNode("Activation", {}, "act" + std::to_string(i)).value();
        QVERIFY(g.connect({chain.back(), 0, next, 0}));
        chain.push_back(next);
    }
    live.update(g);
    QVERIFY(g.setParam(chain[10000], "function", std::string("tanh")));
    live.update(g);
    QCOMPARE(live.lastRecomputed(), std::size_t(1));
    QVERIFY(g.setParam(input, "shape", IntList{4})); // the Dense's output stays 256
    live.update(g);
    QCOMPARE(live.lastRecomputed(), std::size_t(2));
    QVERIFY(g.setParam(dense, "units", std::int64_t(8))); // every Activation after it changes
    const InferenceResult& r = live.update(g);
    QCOMPARE(live.lastRecomputed(), std::size_t(19999));
    QCOMPARE(formatShape(r.node(chain.back())->outputs[0]), std::string("8"));
    compareResults(r, inferShapes(g));
}

QTEST_APPLESS_MAIN(IncrementalTest)
#include "tst_incremental.moc"
