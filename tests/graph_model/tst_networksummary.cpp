// The network summary: multiply-adds and parameters checked by hand on the Standard CNN, the
// training-memory formula, the design warnings (and none on the sound examples), and the
// Markdown and CSV forms.

#include "graph_model/graph.h"
#include "graph_model/graphjson.h"
#include "graph_model/networksummary.h"
#include "graph_model/shapeinference.h"

#include <QtTest>

using namespace nc::graph;

namespace {

Graph example(const char* name) {
    auto g = loadGraphFile(std::string(NC_SOURCE_DIR) + "/resources/examples/" + name + ".json");
    return g.value();
}

const LayerSummary& layer(const NetworkSummary& s, const char* name) {
    for (const LayerSummary& l : s.layers)
        if (l.name == name)
            return l;
    qFatal("no layer %s", name);
}

// Input(shape) -> the given layers in a chain -> MSE on the last output.
Graph chain(IntList shape, const std::vector<std::pair<std::string, ParamMap>>& layers) {
    Graph g;
    NodeId previous = g.addNode("Input", {}, "input").value();
    nc::core::require(g.setParam(previous, "shape", shape));
    for (const auto& [type, params] : layers) {
        NodeId id = g.addNode(type).value();
        for (const auto& [name, value] : params.entries())
            nc::core::require(g.setParam(id, name, value));
        nc::core::require(g.connect({previous, 0, id, 0}));
        previous = id;
    }
    return g;
}

ParamMap params(std::initializer_list<std::pair<std::string, ParamValue>> values) {
    ParamMap m;
    for (const auto& [k, v] : values)
        m.set(k, v);
    return m;
}

} // namespace

class NetworkSummaryTest : public QObject {
    Q_OBJECT

private slots:
    void standardCnnByHand() {
        const Graph g = example("mnist_cnn");
        const NetworkSummary s = summarizeNetwork(g, inferShapes(g), 64, "adam");
        // conv1: 24x24x32 outputs x (1*5*5); conv2: 8x8x32 x (32*5*5); fc1 512x256; logits 256x10.
        QCOMPARE(layer(s, "conv1").multiplyAdds, std::int64_t(24 * 24 * 32 * 25));
        QCOMPARE(layer(s, "conv2").multiplyAdds, std::int64_t(8 * 8 * 32 * 800));
        QCOMPARE(layer(s, "logits").multiplyAdds, std::int64_t(256 * 10));
        QCOMPARE(s.multiplyAdds, std::int64_t(460800 + 1638400 + 131072 + 2560));
        QCOMPARE(s.params, std::int64_t(160362));
        QCOMPARE(layer(s, "conv1").activations, std::int64_t(32 * 24 * 24));
        QCOMPARE(layer(s, "conv1").output, std::string("32x24x24"));
        QCOMPARE(layer(s, "input").activations, std::int64_t(0)); // data, not activations
        // Memory: weights, gradients, Adam's two states, activations and their gradients.
        QCOMPARE(s.memory.batch, std::int64_t(64));
        QCOMPARE(s.memory.weightBytes, 4 * s.params);
        QCOMPARE(s.memory.optimizerBytes, 2 * 4 * s.params);
        QCOMPARE(s.memory.activationBytes, 4 * 2 * 64 * s.activations);
        QVERIFY(s.warnings.empty());
    }

    void batchAndOptimizerComeFromTheGraph() {
        const Graph g = example("conv_autoencoder");
        const NetworkSummary s = summarizeNetwork(g, inferShapes(g));
        QCOMPARE(s.memory.batch, g.training()->batch);
        QCOMPARE(s.memory.optimizer, g.training()->optimizer);
    }

    void soundExamplesHaveNoWarnings_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"mlp", "mnist_cnn", "modified_cnn", "conv_autoencoder"})
            QTest::newRow(n) << n;
    }

    void soundExamplesHaveNoWarnings() {
        QFETCH(QString, name);
        const Graph g = example(name.toUtf8().constData());
        const NetworkSummary s = summarizeNetwork(g, inferShapes(g));
        QVERIFY2(s.warnings.empty(), s.warnings.empty() ? "" : s.warnings[0].message.c_str());
    }

    void aDenseLayerHoldingNearlyEverything() {
        const Graph g = example("catsdogs_cnn");
        const NetworkSummary s = summarizeNetwork(g, inferShapes(g));
        QCOMPARE(s.warnings.size(), std::size_t(1));
        QVERIFY(s.warnings[0].message.find("of the parameters") != std::string::npos);
        QCOMPARE(s.warnings[0].node, g.findByName("fc1")->id);
    }

    void linearLayersWithoutANonlinearity() {
        const Graph g = chain({12}, {{"Dense", params({{"units", std::int64_t(8)}, {"activation", "linear"}})},
                                     {"Dropout", {}},
                                     {"Dense", params({{"units", std::int64_t(4)}, {"activation", "relu"}})}});
        const NetworkSummary s = summarizeNetwork(g, inferShapes(g));
        QCOMPARE(s.warnings.size(), std::size_t(1));
        QVERIFY2(s.warnings[0].message.find("meet no nonlinearity") != std::string::npos,
                 s.warnings[0].message.c_str());
        // A ReLU between them: nothing to say.
        const Graph ok = chain({12}, {{"Dense", params({{"units", std::int64_t(8)}, {"activation", "linear"}})},
                                      {"Activation", params({{"function", "relu"}})},
                                      {"Dense", params({{"units", std::int64_t(4)}})}});
        QVERIFY(summarizeNetwork(ok, inferShapes(ok)).warnings.empty());
    }

    void aPoolThatSkipsMostOfTheMap() {
        const Graph g = chain({3, 32, 32}, {{"MaxPool2D", params({{"pool_size", IntList{2, 2}},
                                                                 {"stride", IntList{4, 4}}})}});
        const NetworkSummary s = summarizeNetwork(g, inferShapes(g));
        QCOMPARE(s.warnings.size(), std::size_t(1));
        QVERIFY2(s.warnings[0].message.find("reads only 25%") != std::string::npos,
                 s.warnings[0].message.c_str());
    }

    void markdownAndCsv() {
        const Graph g = example("mlp");
        const NetworkSummary s = summarizeNetwork(g, inferShapes(g));
        const QString md = QString::fromStdString(summaryMarkdown(s));
        QVERIFY(md.startsWith(
            "| layer | type | output | parameters | multiply-adds | activation memory |"));
        QVERIFY(md.contains(QString("| **total** | | | **%1** |")
                                .arg(QString::fromStdString(formatCount(s.params)))));
        QVERIFY(md.contains("Training memory at batch"));
        const QStringList csv = QString::fromStdString(summaryCsv(s)).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(csv.size(), int(s.layers.size()) + 1);
        QCOMPARE(csv[0],
                 QString("id,name,type,output,parameters,multiply_adds,activations,activation_bytes"));
        QVERIFY(csv[1].startsWith(QString::number(s.layers[0].id) + ",\""));
    }
};

QTEST_GUILESS_MAIN(NetworkSummaryTest)
#include "tst_networksummary.moc"
