// The seed networks and the recurrent examples: every node's output shape, every edge's shape,
// the exact totals, and tied weights.

#include "graphbuilder.h"

#include "graph_model/graphjson.h"
#include "graph_model/noderefs.h"

#include <QtTest>

using namespace nc::graph;
using namespace nc::test;

class ExamplesTest : public QObject {
    Q_OBJECT

private slots:
    void shapesAndTotals_data();
    void shapesAndTotals();
    void tiedDeconvolutionsShareTheConvWeights();
    void tieWithMismatchedChannelsIsAnError();
    void removingTheTiedConvIsReported();
    void cardSummariesNameTheSwitchesThatAreOn();
};

void ExamplesTest::shapesAndTotals_data() {
    QTest::addColumn<QString>("example");
    QTest::addColumn<QStringList>("shapes"); // "node: shape of its first output", in id order
    QTest::addColumn<qlonglong>("total");

    QTest::newRow("mlp") << "mlp" << QStringList{"input: 1x28x28", "drop_in: 1x28x28", "fc1: 800",
                                                 "drop1: 800",     "fc2: 800",         "drop2: 800",
                                                 "logits: 10",     "loss: scalar"}
                         << 1276810LL;
    QTest::newRow("mnist_cnn") << "mnist_cnn" << QStringList{"input: 1x28x28",  "conv1: 32x24x24",
                                                             "pool1: 32x12x12", "conv2: 32x8x8",
                                                             "pool2: 32x4x4",   "drop1: 32x4x4",
                                                             "fc1: 256",        "drop2: 256",
                                                             "logits: 10",      "loss: scalar"}
                               << 160362LL;
    QTest::newRow("modified_cnn") << "modified_cnn"
                                  << QStringList{"input: 1x28x28",    "conv1: 32x24x24",
                                                 "pool1: 32x12x12",   "conv2: 32x8x8",
                                                 "pool2: 32x4x4",     "drop1: 32x4x4",
                                                 "fc1: 256",          "merge: 544",
                                                 "drop2: 544",        "logits: 10",
                                                 "loss: scalar",      "conv_wide: 32x19x19",
                                                 "pool_wide: 32x3x3", "flat_wide: 288"}
                                  << 166474LL;
    QTest::newRow("conv_autoencoder")
        << "conv_autoencoder"
        << QStringList{"input: 1x28x28",    "conv1: 32x24x24", "pool1: 32x12x12",   "conv2: 32x8x8",
                       "pool2: 32x4x4",     "flatten: 512",    "drop1: 512",        "code: 256",
                       "drop2: 256",        "expand: 512",     "unflatten: 32x4x4", "up2: 32x8x8",
                       "deconv2: 32x12x12", "up1: 32x24x24",   "deconv1: 1x28x28",  "loss: scalar"}
        << 289409LL;
    QTest::newRow("catsdogs_cnn") << "catsdogs_cnn"
                                  << QStringList{"input: 3x64x64",  "conv1: 32x62x62",
                                                 "conv2: 32x60x60", "pool1: 32x30x30",
                                                 "conv3: 64x28x28", "conv4: 64x26x26",
                                                 "pool2: 64x13x13", "flatten: 10816",
                                                 "drop1: 10816",    "fc1: 256",
                                                 "logits: 2",       "loss: scalar"}
                                  << 2835234LL;
    // LSTM 128 over 28 rows of 28 pixels: 4 x (128 x 28 + 128 x 128 + 2 x 128) + 1,290.
    QTest::newRow("rnn_rows_mnist")
        << "rnn_rows_mnist"
        << QStringList{"input: 28x28", "lstm: 128", "logits: 10", "loss: scalar"} << 82186LL;
    // GRU 64 over 50 steps of (value, marker): 3 x (64 x 2 + 64 x 64 + 2 x 64) + 65.
    QTest::newRow("gru_adding") << "gru_adding"
                                << QStringList{"input: 50x2", "gru: 64", "sum: 1", "loss: scalar"}
                                << 13121LL;
    // Embedding 38 x 32, LSTM 128 with every step's state, the 38 next-character scores at
    // each step: 38 x 32 + 4 x (128 x 32 + 128 x 128 + 2 x 128) + 38 x 128 + 38.
    QTest::newRow("char_lstm") << "char_lstm"
                               << QStringList{"input: 64", "embed: 64x32", "lstm: 64x128",
                                              "next_char: 64x38", "loss: scalar"}
                               << 89062LL;
}

void ExamplesTest::shapesAndTotals() {
    QFETCH(QString, example);
    QFETCH(QStringList, shapes);
    QFETCH(qlonglong, total);

    Result<Graph> loaded = loadExample(example);
    QVERIFY2(loaded.isOk(), loaded.message().c_str());
    const Graph& g = loaded.value();
    InferenceResult result = inferShapes(g);
    QVERIFY2(result.diagnostics().empty(),
             result.diagnostics().empty() ? "" : result.diagnostics()[0].message.c_str());
    QVERIFY(result.valid());
    QCOMPARE(result.totalParams, total);

    QStringList actual;
    for (NodeId id : g.nodeIds())
        actual << QString::fromStdString(g.node(id)->name) + ": " +
                      QString::fromStdString(formatShape(result.node(id)->outputs[0]));
    QCOMPARE(actual, shapes);

    // Every edge carries the shape its source port produces, and its consumer sees it.
    QVERIFY(!g.edges().empty());
    for (const Edge& e : g.edges()) {
        std::optional<Shape> onEdge = result.edgeShape(e);
        QVERIFY(onEdge.has_value());
        QCOMPARE(result.node(e.inNode)->inputs[std::size_t(e.inPort)], onEdge);
    }
}

void ExamplesTest::tiedDeconvolutionsShareTheConvWeights() {
    Result<Graph> loaded = loadExample("conv_autoencoder");
    QVERIFY(loaded.isOk());
    const Graph& g = loaded.value();
    InferenceResult result = inferShapes(g);
    const Node* conv2 = g.findByName("conv2");
    const Node* deconv2 = g.findByName("deconv2");
    const Node* deconv1 = g.findByName("deconv1");
    QVERIFY(conv2 && deconv2 && deconv1);

    // deconv2 reuses conv2's [32, 32, 5, 5] weight, transposed to [in, out, kh, kw]: only its
    // own bias counts.
    const NodeInference& d2 = *result.node(deconv2->id);
    QCOMPARE(d2.params.size(), std::size_t(2));
    QCOMPARE(d2.params[0].name, std::string("weight"));
    QCOMPARE(d2.params[0].tiedTo, conv2->id);
    QCOMPARE(d2.params[0].shape, Shape({32, 32, 5, 5}));
    QCOMPARE(d2.paramCount, std::int64_t(32));
    // deconv1 follows conv1: 32 -> 1 channel, a single bias.
    QCOMPARE(result.node(deconv1->id)->params[0].shape, Shape({32, 1, 5, 5}));
    QCOMPARE(result.node(deconv1->id)->paramCount, std::int64_t(1));
    QCOMPARE(referencesTo(g, conv2->id),
             (std::vector<NodeReference>{{deconv2->id, "tie_weights_to", conv2->id}}));

    // Untying makes the weight its own again and adds it to the total.
    Graph untied = g;
    QVERIFY(untied.setParam(deconv2->id, "tie_weights_to", std::monostate{}));
    QVERIFY(untied.setParam(deconv2->id, "kernel_size", IntList{5, 5}));
    QCOMPARE(inferShapes(untied).totalParams, result.totalParams + 32 * 32 * 25);
}

void ExamplesTest::tieWithMismatchedChannelsIsAnError() {
    Result<Graph> loaded = loadExample("conv_autoencoder");
    QVERIFY(loaded.isOk());
    Graph g = loaded.value();
    // deconv2 receives 32 channels from the Reshape; with 16 filters, conv2's transposed
    // weight would expect 16.
    NodeId conv2 = g.findByName("conv2")->id;
    QVERIFY(g.setParam(conv2, "filters", std::int64_t(16)));
    InferenceResult result = inferShapes(g);
    QVERIFY(!result.valid());
    const NodeInference& d2 = *result.node(g.findByName("deconv2")->id);
    QCOMPARE(d2.diagnostics.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(d2.diagnostics[0].message),
             QString("Deconv2D \"deconv2\": input has 32 channels, but its tied Conv2D \"conv2\" "
                     "has 16 filters"));
    QCOMPARE(d2.diagnostics[0].inPort, std::optional<PortIndex>(0));
    QVERIFY(!result.node(g.findByName("up1")->id)->outputs[0]); // nothing guessed downstream
}

void ExamplesTest::removingTheTiedConvIsReported() {
    Result<Graph> loaded = loadExample("conv_autoencoder");
    QVERIFY(loaded.isOk());
    Graph g = loaded.value();
    NodeId conv2 = g.findByName("conv2")->id;
    QVERIFY(g.removeNode(conv2));
    InferenceResult result = inferShapes(g);
    const NodeInference& d2 = *result.node(g.findByName("deconv2")->id);
    // Reported at once, although deconv2's input is unknown now that the encoder is broken.
    QVERIFY(!d2.diagnostics.empty());
    QCOMPARE(QString::fromStdString(d2.diagnostics[0].message),
             QString("Deconv2D \"deconv2\": tie_weights_to names node 4, which does not exist"));
}

QTEST_APPLESS_MAIN(ExamplesTest)
// A card shows a switch by its name when it is on, and nothing when it is off.
void ExamplesTest::cardSummariesNameTheSwitchesThatAreOn() {
    Result<Graph> loaded = loadExample("char_lstm");
    QVERIFY2(loaded.isOk(), loaded.message().c_str());
    const Graph& g = loaded.value();
    auto summary = [&](const char* name) {
        const Node* node = g.findByName(name);
        return summarizeParams(g.specOf(*node), node->params);
    };
    QCOMPARE(summary("lstm"), std::string("128 \u00b7 return sequences"));
    QCOMPARE(summary("next_char"), std::string("38 \u00b7 linear \u00b7 per step"));
    Result<Graph> rows = loadExample("rnn_rows_mnist");
    const Node* lstm = rows.value().findByName("lstm");
    QCOMPARE(summarizeParams(rows.value().specOf(*lstm), lstm->params), std::string("128"));
}

#include "tst_examples.moc"
