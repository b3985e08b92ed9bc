// Finite-difference gradient checks for every op, every input and every parameter, through
// the real executor: tied weights and concat branches included.

#include "enginetesting.h"

#include "engine/probe/gradientcheck.h"
#include "engine/threading.h"

#include <QtTest>

using namespace nc::graph;
using namespace nc::engine;
using namespace nc::test;

namespace {

QVariantList pair(int a, int b) {
    return {a, b};
}

struct Case {
    const char* name;
    Shape input;
    QList<LayerDesc> layers;
    QString loss = "MSE";
    Mode mode = Mode::Eval;
};

// clang-format off
const std::vector<Case>& cases() {
    static const std::vector<Case> all = {
        {"conv tanh", {2, 7, 7}, {{"Conv2D", {{"filters", 3}, {"activation", "tanh"}}}}},
        {"conv stride 2 same sigmoid", {2, 8, 7}, {{"Conv2D", {{"filters", 3}, {"stride", pair(2, 2)}, {"padding", "same"}, {"activation", "sigmoid"}}}}},
        {"conv dilation explicit padding", {1, 7, 7}, {{"Conv2D", {{"filters", 2}, {"dilation", pair(2, 1)}, {"padding", pair(1, 2)}}}}},
        {"conv full rectangular no bias", {2, 4, 5}, {{"Conv2D", {{"filters", 2}, {"kernel_size", pair(2, 3)}, {"padding", "full"}, {"use_bias", false}}}}},
        {"deconv valid elu", {3, 4, 4}, {{"Deconv2D", {{"filters", 2}, {"activation", "elu"}}}}},
        {"deconv stride 2 same", {2, 3, 4}, {{"Deconv2D", {{"filters", 2}, {"stride", pair(2, 2)}, {"padding", "same"}}}}},
        {"deconv output padding", {2, 3, 3}, {{"Deconv2D", {{"filters", 2}, {"stride", pair(2, 2)}, {"padding", pair(1, 1)}, {"output_padding", pair(1, 1)}}}}},
        {"deconv valid output padding", {1, 3, 3}, {{"Deconv2D", {{"filters", 2}, {"stride", pair(2, 2)}, {"output_padding", pair(1, 0)}}}}},
        {"deconv crop dilation", {2, 4, 4}, {{"Deconv2D", {{"filters", 1}, {"padding", pair(1, 1)}, {"dilation", pair(2, 2)}}}}},
        {"maxpool", {2, 6, 6}, {{"MaxPool2D", {}}}},
        {"maxpool same 3x3 stride 2", {2, 7, 7}, {{"MaxPool2D", {{"pool_size", pair(3, 3)}, {"stride", pair(2, 2)}, {"padding", "same"}}}}},
        {"avgpool same", {2, 5, 5}, {{"AvgPool2D", {{"padding", "same"}}}}},
        {"global avgpool", {3, 4, 5}, {{"GlobalAvgPool2D", {}}}},
        {"upscale nearest", {2, 3, 3}, {{"Upscale2D", {{"scale", pair(2, 3)}}}}},
        {"upscale bilinear", {2, 3, 4}, {{"Upscale2D", {{"scale", pair(2, 2)}, {"mode", "bilinear"}}}}},
        {"dense after maps softmax", {2, 3, 3}, {{"Dense", {{"units", 5}, {"activation", "softmax"}}}}},
        {"dense leaky relu", {6}, {{"Dense", {{"units", 4}, {"activation", "leaky_relu"}}}}},
        {"activation relu", {2, 3, 3}, {{"Activation", {{"function", "relu"}}}}},
        {"activation tanh", {5}, {{"Activation", {{"function", "tanh"}}}}},
        {"activation sigmoid", {5}, {{"Activation", {{"function", "sigmoid"}}}}},
        {"activation softmax over channels", {3, 2, 2}, {{"Activation", {{"function", "softmax"}}}}},
        {"activation leaky relu", {6}, {{"Activation", {{"function", "leaky_relu"}, {"alpha", 0.2}}}}},
        {"activation elu", {6}, {{"Activation", {{"function", "elu"}, {"alpha", 0.7}}}}},
        {"dropout in training", {10}, {{"Dense", {{"units", 8}}}, {"Dropout", {{"rate", 0.4}}}}, "MSE", Mode::Train},
        {"batchnorm maps in training", {3, 3, 3}, {{"Conv2D", {{"filters", 2}, {"padding", "same"}}}, {"BatchNorm", {}}}, "MSE", Mode::Train},
        {"batchnorm vector in evaluation", {4}, {{"Dense", {{"units", 3}}}, {"BatchNorm", {}}}},
        {"flatten then reshape", {2, 2, 3}, {{"Flatten", {}}, {"Dense", {{"units", 8}}}, {"Reshape", {{"shape", QVariantList{2, -1, 2}}}}}},
        {"simple rnn last state", {5, 3}, {{"SimpleRNN", {{"units", 4}}}}},
        {"simple rnn bidirectional sequences", {4, 3}, {{"SimpleRNN", {{"units", 3}, {"bidirectional", true}, {"return_sequences", true}}}}},
        {"lstm last state", {5, 3}, {{"LSTM", {{"units", 4}}}}},
        {"lstm sequences", {4, 2}, {{"LSTM", {{"units", 3}, {"return_sequences", true}}}}},
        {"lstm bidirectional", {4, 3}, {{"LSTM", {{"units", 3}, {"bidirectional", true}}}}},
        {"lstm stacked then dense", {4, 3}, {{"LSTM", {{"units", 3}, {"return_sequences", true}}}, {"LSTM", {{"units", 3}}}, {"Dense", {{"units", 2}}}}},
        {"gru last state", {5, 3}, {{"GRU", {{"units", 4}}}}},
        {"gru bidirectional sequences", {4, 3}, {{"GRU", {{"units", 3}, {"bidirectional", true}, {"return_sequences", true}}}}},
        {"softmax cross-entropy", {6}, {{"Dense", {{"units", 4}}}}, "SoftmaxCrossEntropy"},
        {"dense per step", {4, 3}, {{"Dense", {{"units", 2}, {"per_step", true}, {"activation", "tanh"}}}}},
        {"per-step cross-entropy with padding", {5, 3}, {{"Dense", {{"units", 3}, {"per_step", true}}}}, "SoftmaxCrossEntropy"},
        {"lstm sequences into per-step softmax", {5, 2}, {{"LSTM", {{"units", 3}, {"return_sequences", true}}}, {"Dense", {{"units", 4}, {"per_step", true}}}}, "SoftmaxCrossEntropy"},
        {"binary cross-entropy", {6}, {{"Dense", {{"units", 3}, {"activation", "sigmoid"}}}}, "BinaryCrossEntropy"},
    };
    return all;
}
// clang-format on

Tensor targetsFor(const Model& model, const QString& loss, std::int64_t batch) {
    const Value& y = model.values()[std::size_t(model.inputStep().outputs[1])];
    Dims dims{batch};
    dims.insert(dims.end(), y.perSample.begin(), y.perSample.end());
    if (loss == "SoftmaxCrossEntropy") { // per step: every 4th step is padding (-1)
        Tensor t(dims);
        for (std::int64_t i = 0; i < t.size(); ++i)
            t[i] = model.classifiesSteps() && i % 4 == 3 ? -1.0f : float(i % model.classes());
        return t;
    }
    return randomTensor(dims, 3, loss == "BinaryCrossEntropy" ? 0.0f : -1.0f, 1.0f);
}

// Runs one gradient check on a compiled graph with a batch of 3.
void expectGradients(const Graph& graph, const QString& loss, Mode mode, double tolerance = 2e-2) {
    Result<Model> model = Model::compile(graph);
    QVERIFY2(model.isOk(), model.message().c_str());
    initializeParameters(model.value().params(), 11);
    const Value& x = model.value().values()[std::size_t(model.value().inputStep().outputs[0])];
    Dims dims{3};
    dims.insert(dims.end(), x.perSample.begin(), x.perSample.end());
    Tensor input = randomTensor(dims, 17);
    Result<GradientReport> report =
        nc::test::checkGradients(model.value(), input, targetsFor(model.value(), loss, 3), mode);
    QVERIFY2(report.isOk(), report.message().c_str());
    QVERIFY(report.value().checked > 0);
    QVERIFY2(report.value().worstError < tolerance, qPrintable(report.value().worstWhere));
}

} // namespace

class OpGradientsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setThreadCount(2); }
    void everyOp_data();
    void everyOp();
    void tiedWeightsAccumulateBothUses();
    void embeddingIntoLstm();
    void concatBranches();
    void addBranches();
    void recurrentInitialStates_data();
    void recurrentInitialStates();
};

void OpGradientsTest::everyOp_data() {
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < cases().size(); ++i)
        QTest::newRow(cases()[i].name) << int(i);
}

void OpGradientsTest::everyOp() {
    QFETCH(int, index);
    const Case& c = cases()[std::size_t(index)];
    Result<Graph> graph = buildChain(c.input, c.layers, c.loss);
    QVERIFY2(graph.isOk(), graph.message().c_str());
    expectGradients(graph.value(), c.loss, c.mode);
}

// Tokens are whole numbers and get no gradient: only the parameters are checked, with an
// embedding table that feeds an LSTM.
void OpGradientsTest::embeddingIntoLstm() {
    Result<Graph> graph = buildChain(
        {6}, {{"Embedding", {{"vocabulary", 5}, {"units", 3}}}, {"LSTM", {{"units", 4}}}});
    QVERIFY2(graph.isOk(), graph.message().c_str());
    Result<Model> model = Model::compile(graph.value());
    QVERIFY2(model.isOk(), model.message().c_str());
    initializeParameters(model.value().params(), 11);
    Tensor tokens({3, 6});
    for (std::int64_t i = 0; i < tokens.size(); ++i)
        tokens[i] = float((i * 7 + 2) % 5);
    GradientCheckOptions options;
    options.input = false;
    options.samplesPerTensor = 24;
    auto check = nc::engine::checkGradients(
        model.value(), tokens, targetsFor(model.value(), "MSE", 3), Mode::Eval, {}, options);
    QVERIFY2(check.isOk(), check.message().c_str());
    int checked = 0;
    for (const TensorCheck& t : check.value().tensors) {
        checked += t.checked;
        QVERIFY2(t.worstError < 2e-2, t.worstAt.c_str());
    }
    QVERIFY(checked > 0);
}

void OpGradientsTest::tiedWeightsAccumulateBothUses() {
    // x -> conv (1->3, 3x3) -> tanh -> deconv tied to conv (3->1) -> MSE against x.
    Graph g;
    NodeId input = g.addNode("Input", {}, "input").value();
    nc::core::require(g.setParam(input, "shape", IntList{1, 6, 6}));
    nc::core::require(g.setParam(input, "target_shape", IntList{1, 6, 6}));
    NodeId conv = g.addNode("Conv2D", {}, "conv").value();
    nc::core::require(g.setParam(conv, "filters", std::int64_t(3)));
    nc::core::require(g.setParam(conv, "activation", std::string("tanh")));
    NodeId deconv = g.addNode("Deconv2D", {}, "deconv").value();
    QVERIFY(g.setParam(deconv, "tie_weights_to", conv));
    NodeId loss = g.addNode("MSE", {}, "loss").value();
    QVERIFY(g.connect({input, 0, conv, 0}) && g.connect({conv, 0, deconv, 0}) &&
            g.connect({deconv, 0, loss, 0}) && g.connect({input, 1, loss, 1}));
    Result<Model> model = Model::compile(g);
    QVERIFY(model.isOk());
    QCOMPARE(model.value().params().size(), std::size_t(3)); // conv.weight, conv.bias, deconv.bias
    expectGradients(g, "MSE", Mode::Eval);
}

void OpGradientsTest::concatBranches() {
    // x -> conv a (2 filters) and conv b (3 filters) -> concat -> MSE.
    Graph g;
    NodeId input = g.addNode("Input", {}, "input").value();
    nc::core::require(g.setParam(input, "shape", IntList{2, 5, 5}));
    nc::core::require(g.setParam(input, "target_shape", IntList{5, 3, 3}));
    NodeId a = g.addNode("Conv2D", {}, "a").value();
    nc::core::require(g.setParam(a, "filters", std::int64_t(2)));
    NodeId b = g.addNode("Conv2D", {}, "b").value();
    nc::core::require(g.setParam(b, "filters", std::int64_t(3)));
    nc::core::require(g.setParam(b, "activation", std::string("tanh")));
    NodeId merge = g.addNode("Concat", {}, "merge").value();
    NodeId loss = g.addNode("MSE", {}, "loss").value();
    QVERIFY(g.connect({input, 0, a, 0}) && g.connect({input, 0, b, 0}) &&
            g.connect({a, 0, merge, 0}) && g.connect({b, 0, merge, 1}) &&
            g.connect({merge, 0, loss, 0}) && g.connect({input, 1, loss, 1}));
    expectGradients(g, "MSE", Mode::Eval);
}

void OpGradientsTest::addBranches() {
    // A residual block: x -> dense -> tanh -> add(x) -> MSE.
    Graph g;
    NodeId input = g.addNode("Input", {}, "input").value();
    nc::core::require(g.setParam(input, "shape", IntList{6}));
    nc::core::require(g.setParam(input, "target_shape", IntList{6}));
    NodeId dense = g.addNode("Dense", {}, "dense").value();
    nc::core::require(g.setParam(dense, "units", std::int64_t(6)));
    nc::core::require(g.setParam(dense, "activation", std::string("tanh")));
    NodeId add = g.addNode("Add", {}, "add").value();
    NodeId loss = g.addNode("MSE", {}, "loss").value();
    QVERIFY(g.connect({input, 0, dense, 0}) && g.connect({dense, 0, add, 0}) &&
            g.connect({input, 0, add, 1}) && g.connect({add, 0, loss, 0}) &&
            g.connect({input, 1, loss, 1}));
    expectGradients(g, "MSE", Mode::Eval);
}

// Initial states from Dense layers on the flattened sequence: the gradients of h0 and c0 reach
// those layers' weights, for each recurrent type, both directions included.
void OpGradientsTest::recurrentInitialStates_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("bidirectional");
    QTest::addColumn<bool>("sequences");
    QTest::newRow("simple rnn") << "SimpleRNN" << false << true;
    QTest::newRow("lstm bidirectional") << "LSTM" << true << false;
    QTest::newRow("gru bidirectional sequences") << "GRU" << true << true;
}

void OpGradientsTest::recurrentInitialStates() {
    QFETCH(QString, type);
    QFETCH(bool, bidirectional);
    QFETCH(bool, sequences);
    const std::int64_t units = 3, width = bidirectional ? 2 * units : units;
    Graph g;
    NodeId input = g.addNode("Input", {}, "input").value();
    nc::core::require(g.setParam(input, "shape", IntList{4, 2}));
    nc::core::require(
        g.setParam(input, "target_shape", sequences ? IntList{4, width} : IntList{width}));
    NodeId layer = g.addNode(type.toStdString(), {}, "rnn").value();
    nc::core::require(g.setParam(layer, "units", units));
    nc::core::require(g.setParam(layer, "bidirectional", bidirectional));
    nc::core::require(g.setParam(layer, "return_sequences", sequences));
    NodeId flat = g.addNode("Flatten", {}, "flat").value();
    NodeId loss = g.addNode("MSE", {}, "loss").value();
    QVERIFY(g.connect({input, 0, layer, 0}) && g.connect({input, 0, flat, 0}) &&
            g.connect({layer, 0, loss, 0}) && g.connect({input, 1, loss, 1}));
    const int ports = type == "LSTM" ? 2 : 1;
    for (int port = 1; port <= ports; ++port) {
        NodeId dense = g.addNode("Dense", {}, "state" + std::to_string(port)).value();
        nc::core::require(g.setParam(dense, "units", width));
        nc::core::require(g.setParam(dense, "activation", std::string("tanh")));
        QVERIFY(g.connect({flat, 0, dense, 0}) && g.connect({dense, 0, layer, port}));
    }
    expectGradients(g, "MSE", Mode::Eval);
}

QTEST_APPLESS_MAIN(OpGradientsTest)
#include "tst_opgradients.moc"
