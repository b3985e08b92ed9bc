// Edits keep the graph valid: refused edits say why, accepted ones notify listeners.

#include "graphbuilder.h"

#include <QtTest>

using namespace nc::graph;
using namespace nc::test;

namespace {

struct Recorder {
    std::vector<GraphChange> changes;
    void attach(Graph& g) {
        g.addListener([this](const GraphChange& c) { changes.push_back(c); });
    }
};

// input -> conv -> pool -> dense -> loss, with input.y -> loss.target
struct SmallNet {
    Graph g;
    NodeId input, conv, pool, dense, loss;
    SmallNet() {
        input = g.addNode("Input").value();
        conv = g.addNode("Conv2D").value();
        pool = g.addNode("MaxPool2D").value();
        dense = g.addNode("Dense").value();
        loss = g.addNode("SoftmaxCrossEntropy").value();
        nc::core::require(g.connect({input, 0, conv, 0}));
        nc::core::require(g.connect({conv, 0, pool, 0}));
        nc::core::require(g.connect({pool, 0, dense, 0}));
        nc::core::require(g.connect({dense, 0, loss, 0}));
        nc::core::require(g.connect({input, 1, loss, 1}));
    }
};

} // namespace

class GraphEditsTest : public QObject {
    Q_OBJECT

private slots:
    void refusedEdits_data();
    void refusedEdits();
    void refusedEditsChangeNothing();
    void listenersHearEveryChange();
    void removingANodeRemovesItsEdgesFirst();
    void idsAreNeverReused();
    void namesAreGeneratedUniquely();
    void nameLookupFollowsEveryEdit();
    void variadicPorts();
};

void GraphEditsTest::refusedEdits_data() {
    QTest::addColumn<int>("edit");
    QTest::addColumn<QString>("reason");
    // clang-format off
    // The edits are numbered and applied in refusedEdits() to a fresh SmallNet.
    QTest::newRow("port already fed") << 0 << "input \"in\" of MaxPool2D \"maxpool2d_1\" is already fed by Conv2D \"conv2d_1\"; disconnect that first";
    QTest::newRow("loop") << 1 << "connecting MaxPool2D \"maxpool2d_1\" to Conv2D \"conv2d_1\" would make a loop";
    QTest::newRow("self loop") << 2 << "a layer cannot feed itself";
    QTest::newRow("missing input port") << 3 << "Dense \"dense_1\" has no input port 1";
    QTest::newRow("missing output port") << 4 << "Conv2D \"conv2d_1\" has no output port 3";
    QTest::newRow("into an Input") << 5 << "Input \"input_1\" takes no inputs";
    QTest::newRow("loss into a layer") << 6 << "\"loss\" of SoftmaxCrossEntropy \"softmaxcrossentropy_1\" is a loss; a loss feeds no other layer";
    QTest::newRow("unknown node") << 7 << "there is no node 99 to connect to";
    QTest::newRow("param out of range") << 8 << "Conv2D \"conv2d_1\": filters: 0 is outside 1..1000000";
    QTest::newRow("param wrong type") << 9 << "Conv2D \"conv2d_1\": kernel_size: expected 2 integers, got an integer";
    QTest::newRow("param bad choice") << 10 << "Conv2D \"conv2d_1\": activation: \"gelu\" is not one of";
    QTest::newRow("unknown param") << 11 << "Conv2D \"conv2d_1\": Conv2D has no parameter \"units\"";
    QTest::newRow("duplicate name") << 12 << "the name \"dense_1\" is already used by Dense \"dense_1\"";
    QTest::newRow("empty name") << 13 << "a name cannot be empty";
    QTest::newRow("unknown type") << 14 << "unknown layer type \"Conv3D\"";
    QTest::newRow("tie to a Dense") << 15 << "tie_weights_to: Dense \"dense_1\" is not a Conv2D";
    QTest::newRow("tie to a missing node") << 16 << "tie_weights_to: there is no node 99";
    QTest::newRow("tie that makes a loop") << 17 << "is downstream of Deconv2D \"deconv2d_1\", so tying them would make a loop";
    QTest::newRow("disconnect unknown edge") << 18 << "those ports are not connected";
    QTest::newRow("non-finite position") << 19 << "a position must be finite";
    QTest::newRow("nan float") << 20 << "Dropout \"dropout_1\": rate: must be finite";
    QTest::newRow("shape of rank 4") << 21 << "Input \"input_1\": shape: expected 1 to 3 dimensions, got 4";
    QTest::newRow("two -1 in reshape") << 22 << "shape: only one dimension may be -1";
    // clang-format on
}

void GraphEditsTest::refusedEdits() {
    QFETCH(int, edit);
    QFETCH(QString, reason);
    SmallNet n;
    Graph& g = n.g;
    Status s = Status::ok();
    // clang-format off
    switch (edit) {
    case 0: s = g.connect({n.input, 0, n.pool, 0}); break;
    case 1: s = g.connect({n.pool, 0, n.conv, 0}); nc::core::require(g.disconnect({n.input, 0, n.conv, 0})); s = g.connect({n.pool, 0, n.conv, 0}); break;
    case 2: s = g.connect({n.dense, 0, n.dense, 0}); break;
    case 3: s = g.connect({n.input, 0, n.dense, 1}); break;
    case 4: s = g.connect({n.conv, 3, n.dense, 0}); break;
    case 5: s = g.connect({n.conv, 0, n.input, 0}); break;
    case 6: nc::core::require(g.disconnect({n.pool, 0, n.dense, 0})); s = g.connect({n.loss, 0, n.dense, 0}); break;
    case 7: s = g.connect({n.conv, 0, 99, 0}); break;
    case 8: s = g.setParam(n.conv, "filters", std::int64_t(0)); break;
    case 9: s = g.setParam(n.conv, "kernel_size", std::int64_t(3)); break;
    case 10: s = g.setParam(n.conv, "activation", std::string("gelu")); break;
    case 11: s = g.setParam(n.conv, "units", std::int64_t(3)); break;
    case 12: s = g.rename(n.conv, "dense_1"); break;
    case 13: s = g.rename(n.conv, ""); break;
    case 14: s = g.addNode("Conv3D").isOk() ? Status::ok() : Status::error(g.addNode("Conv3D").message()); break;
    case 15: { NodeId d = g.addNode("Deconv2D").value(); s = g.setParam(d, "tie_weights_to", n.dense); break; }
    case 16: { NodeId d = g.addNode("Deconv2D").value(); s = g.setParam(d, "tie_weights_to", std::int64_t(99)); break; }
    case 17: {
        NodeId d = g.addNode("Deconv2D").value();
        NodeId c = g.addNode("Conv2D").value();
        nc::core::require(g.connect({d, 0, c, 0}));
        s = g.setParam(d, "tie_weights_to", c);
        break;
    }
    // clang-format on
    case 18:
        s = g.disconnect({n.input, 0, n.dense, 0});
        break;
    case 19:
        s = g.move(n.conv, {std::nan(""), 0});
        break;
    case 20: {
        NodeId d = g.addNode("Dropout").value();
        s = g.setParam(d, "rate", std::nan(""));
        break;
    }
    case 21:
        s = g.setParam(n.input, "shape", IntList{1, 2, 3, 4});
        break;
    case 22: {
        NodeId r = g.addNode("Reshape").value();
        s = g.setParam(r, "shape", IntList{-1, -1});
        break;
    }
    default:
        QFAIL("no such edit");
    }
    QVERIFY(!s);
    QVERIFY2(QString::fromStdString(s.message()).contains(reason), s.message().c_str());
}

void GraphEditsTest::refusedEditsChangeNothing() {
    SmallNet n;
    Recorder recorder;
    recorder.attach(n.g);
    Graph before = n.g;
    QVERIFY(!n.g.connect({n.input, 0, n.pool, 0}));
    QVERIFY(!n.g.setParam(n.conv, "filters", std::int64_t(-1)));
    QVERIFY(!n.g.rename(n.conv, "dense_1"));
    QVERIFY(recorder.changes.empty());
    QCOMPARE(n.g.edges(), before.edges());
    QVERIFY(*n.g.node(n.conv) == *before.node(n.conv));
}

void GraphEditsTest::listenersHearEveryChange() {
    SmallNet n;
    Recorder recorder;
    recorder.attach(n.g);
    NodeId extra = n.g.addNode("Flatten").value();
    QVERIFY(n.g.setParam(n.conv, "filters", std::int64_t(8)));
    QVERIFY(n.g.setParam(n.conv, "filters", std::int64_t(8))); // no change, no notification
    QVERIFY(n.g.rename(extra, "flat"));
    QVERIFY(n.g.move(extra, {10, 20}));
    QVERIFY(n.g.disconnect({n.pool, 0, n.dense, 0}));
    QVERIFY(n.g.connect({n.pool, 0, extra, 0}));

    QCOMPARE(recorder.changes.size(), std::size_t(6));
    QCOMPARE(recorder.changes[0].what, ChangeMask(NodeAdded));
    QCOMPARE(recorder.changes[0].node, extra);
    QCOMPARE(recorder.changes[1].what, ChangeMask(ParamChanged));
    QCOMPARE(recorder.changes[1].param, std::string("filters"));
    QCOMPARE(recorder.changes[2].what, ChangeMask(NodeRenamed));
    QCOMPARE(recorder.changes[3].what, ChangeMask(NodeMoved));
    QCOMPARE(recorder.changes[4].what, ChangeMask(EdgeRemoved));
    QCOMPARE(recorder.changes[4].edge, (Edge{n.pool, 0, n.dense, 0}));
    QCOMPARE(recorder.changes[5].what, ChangeMask(EdgeAdded));
    QCOMPARE(recorder.changes[5].node, extra);
}

void GraphEditsTest::removingANodeRemovesItsEdgesFirst() {
    SmallNet n;
    Recorder recorder;
    recorder.attach(n.g);
    QVERIFY(n.g.removeNode(n.conv));
    QCOMPARE(recorder.changes.size(), std::size_t(3));
    QCOMPARE(recorder.changes[0].what, ChangeMask(EdgeRemoved));
    QCOMPARE(recorder.changes[1].what, ChangeMask(EdgeRemoved));
    QCOMPARE(recorder.changes[2].what, ChangeMask(NodeRemoved));
    QVERIFY(!n.g.edgeInto(n.pool, 0));
    QCOMPARE(n.g.edges().size(), std::size_t(3));
}

void GraphEditsTest::idsAreNeverReused() {
    Graph g;
    NodeId a = g.addNode("Input").value();
    NodeId b = g.addNode("Dense").value();
    QVERIFY(g.removeNode(b));
    NodeId c = g.addNode("Dense").value();
    QVERIFY(c != b && c > a);
    Node explicitNode{42, "Flatten", "flat", {}, {}};
    QVERIFY(g.insertNode(explicitNode));
    QCOMPARE(g.addNode("Flatten").value(), NodeId(43));
    QVERIFY(!g.insertNode(explicitNode)); // id taken
}

void GraphEditsTest::namesAreGeneratedUniquely() {
    Graph g;
    QCOMPARE(g.node(g.addNode("Conv2D").value())->name, std::string("conv2d_1"));
    QCOMPARE(g.node(g.addNode("Conv2D").value())->name, std::string("conv2d_2"));
    QVERIFY(g.rename(1, "conv2d_3"));
    QCOMPARE(g.node(g.addNode("Conv2D").value())->name, std::string("conv2d_1"));
}

// findByName is an index now (loading was O(n^2)); every edit that touches names keeps it.
void GraphEditsTest::nameLookupFollowsEveryEdit() {
    Graph g;
    const NodeId a = g.addNode("Dense", {}, "a").value();
    const NodeId b = g.addNode("Dense", {}, "b").value();
    QCOMPARE(g.findByName("a")->id, a);
    QVERIFY(g.rename(a, "renamed"));
    QVERIFY(!g.findByName("a"));
    QCOMPARE(g.findByName("renamed")->id, a);
    QVERIFY(!g.rename(b, "renamed")); // refused: the index still knows the name is taken
    QCOMPARE(g.findByName("b")->id, b);
    const Node removed = *g.node(b);
    QVERIFY(g.removeNode(b));
    QVERIFY(!g.findByName("b"));
    QVERIFY(g.insertNode(removed)); // as undo does
    QCOMPARE(g.findByName("b")->id, b);

    Graph copy = g;
    QVERIFY(copy.rename(b, "only_in_copy"));
    QCOMPARE(g.findByName("b")->id, b);
    QVERIFY(!g.findByName("only_in_copy"));
    g = copy;
    QCOMPARE(g.findByName("only_in_copy")->id, b);
    QVERIFY(!g.findByName("b"));
    Graph moved = std::move(copy);
    QCOMPARE(moved.findByName("renamed")->id, a);
}

void GraphEditsTest::variadicPorts() {
    Graph g;
    NodeId a = g.addNode("Input").value();
    NodeId concat = g.addNode("Concat").value();
    QCOMPARE(g.inputCount(concat), 2);
    QVERIFY(!g.connect({a, 0, concat, 2}));
    QVERIFY(g.setParam(concat, "inputs", std::int64_t(3)));
    QVERIFY(g.connect({a, 0, concat, 2}));
    Status s = g.setParam(concat, "inputs", std::int64_t(2));
    QVERIFY(!s);
    QCOMPARE(
        QString::fromStdString(s.message()),
        QString("Concat \"concat_1\": inputs: disconnect input 3 before reducing the inputs to 2"));
}

QTEST_APPLESS_MAIN(GraphEditsTest)
#include "tst_graphedits.moc"
