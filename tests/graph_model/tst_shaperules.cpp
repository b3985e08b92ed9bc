// The shape rule of every layer type: output shapes, parameter counts and error messages.

#include "graphbuilder.h"

#include "graph_model/layerregistry.h"

#include <QtTest>

using namespace nc::graph;
using namespace nc::test;

namespace {

QVariantList pair(int a, int b) {
    return {a, b};
}

} // namespace

class ShapeRulesTest : public QObject {
    Q_OBJECT

private slots:
    void everyLayerType_data();
    void everyLayerType();
    void everyRegisteredTypeIsCovered();
    void diagnosticsNameNodeAndPort();
    void unconnectedInputIsReported();
    void optionalInputMayStayUnconnected();
    void trainOnlyLayersAreMarked();
};

void ShapeRulesTest::everyLayerType_data() {
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("inputs");
    QTest::addColumn<QVariantMap>("params");
    QTest::addColumn<QString>("expected");     // a shape, or "error: <part of the message>"
    QTest::addColumn<qlonglong>("paramCount"); // -1: not checked

    // clang-format off
    // Conv2D: stride, padding modes, dilation, kernels larger than the input.
    QTest::newRow("conv valid") << "Conv2D" << "1x28x28" << QVariantMap{{"filters", 32}, {"kernel_size", pair(5, 5)}} << "32x24x24" << 832LL;
    QTest::newRow("conv stride 2") << "Conv2D" << "1x28x28" << QVariantMap{{"filters", 8}, {"stride", pair(2, 2)}} << "8x13x13" << 80LL;
    QTest::newRow("conv same") << "Conv2D" << "3x28x28" << QVariantMap{{"filters", 4}, {"kernel_size", pair(5, 5)}, {"padding", "same"}} << "4x28x28" << 304LL;
    QTest::newRow("conv same stride 2 odd") << "Conv2D" << "3x27x27" << QVariantMap{{"filters", 4}, {"stride", pair(2, 2)}, {"padding", "same"}} << "4x14x14" << -1LL;
    QTest::newRow("conv full") << "Conv2D" << "1x28x28" << QVariantMap{{"filters", 2}, {"kernel_size", pair(5, 5)}, {"padding", "full"}} << "2x32x32" << -1LL;
    QTest::newRow("conv explicit padding") << "Conv2D" << "1x28x28" << QVariantMap{{"filters", 2}, {"kernel_size", pair(5, 5)}, {"padding", pair(2, 1)}} << "2x28x26" << -1LL;
    QTest::newRow("conv dilation") << "Conv2D" << "1x28x28" << QVariantMap{{"filters", 2}, {"dilation", pair(2, 2)}} << "2x24x24" << 20LL;
    QTest::newRow("conv no bias") << "Conv2D" << "16x8x8" << QVariantMap{{"filters", 32}, {"use_bias", false}} << "32x6x6" << 4608LL;
    QTest::newRow("conv rectangular kernel") << "Conv2D" << "1x10x20" << QVariantMap{{"filters", 1}, {"kernel_size", pair(3, 7)}} << "1x8x14" << 22LL;
    QTest::newRow("conv kernel larger than input") << "Conv2D" << "32x4x4" << QVariantMap{{"kernel_size", pair(5, 5)}} << "error: Conv2D \"layer\": kernel 5x5 is larger than its 4x4 input (padding \"valid\")" << -1LL;
    QTest::newRow("conv dilated kernel too large") << "Conv2D" << "1x6x6" << QVariantMap{{"dilation", pair(3, 3)}} << "error: dilated kernel 7x7 is larger than its 6x6 input" << -1LL;
    QTest::newRow("conv kernel larger but padded") << "Conv2D" << "1x4x4" << QVariantMap{{"filters", 1}, {"kernel_size", pair(5, 5)}, {"padding", pair(1, 1)}} << "1x2x2" << -1LL;
    QTest::newRow("conv on a vector") << "Conv2D" << "784" << QVariantMap{} << "error: needs CxHxW feature maps, got 784 (add a Reshape" << -1LL;

    // Deconv2D (untied; ties are covered by their own tests).
    QTest::newRow("deconv valid") << "Deconv2D" << "32x4x4" << QVariantMap{{"filters", 16}, {"kernel_size", pair(5, 5)}} << "16x8x8" << 12816LL;
    QTest::newRow("deconv stride 2") << "Deconv2D" << "8x7x7" << QVariantMap{{"filters", 4}, {"kernel_size", pair(2, 2)}, {"stride", pair(2, 2)}} << "4x14x14" << 132LL;
    QTest::newRow("deconv same stride 2") << "Deconv2D" << "8x7x7" << QVariantMap{{"filters", 4}, {"stride", pair(2, 2)}, {"padding", "same"}} << "4x14x14" << -1LL;
    QTest::newRow("deconv full crop") << "Deconv2D" << "8x8x8" << QVariantMap{{"filters", 4}, {"padding", "full"}} << "4x6x6" << -1LL;
    QTest::newRow("deconv explicit crop") << "Deconv2D" << "8x8x8" << QVariantMap{{"filters", 4}, {"padding", pair(1, 0)}} << "4x8x10" << -1LL;
    QTest::newRow("deconv output padding") << "Deconv2D" << "8x4x4" << QVariantMap{{"filters", 2}, {"stride", pair(2, 2)}, {"padding", pair(1, 1)}, {"output_padding", pair(1, 1)}} << "2x8x8" << -1LL;
    QTest::newRow("deconv output padding with same") << "Deconv2D" << "8x4x4" << QVariantMap{{"stride", pair(2, 2)}, {"padding", "same"}, {"output_padding", pair(1, 0)}} << "error: output_padding 1x0 needs padding \"valid\"" << -1LL;
    QTest::newRow("deconv output padding past the stride") << "Deconv2D" << "8x4x4" << QVariantMap{{"stride", pair(2, 2)}, {"output_padding", pair(2, 2)}} << "error: must be smaller than the stride" << -1LL;
    QTest::newRow("deconv crops everything") << "Deconv2D" << "8x1x1" << QVariantMap{{"padding", pair(3, 3)}} << "error: leaves no output from its 1x1 input" << -1LL;

    // Pooling and upscaling.
    QTest::newRow("maxpool 2") << "MaxPool2D" << "32x24x24" << QVariantMap{} << "32x12x12" << 0LL;
    QTest::newRow("maxpool 5 floors") << "MaxPool2D" << "32x19x19" << QVariantMap{{"pool_size", pair(5, 5)}} << "32x3x3" << 0LL;
    QTest::newRow("maxpool same keeps partial") << "MaxPool2D" << "4x5x5" << QVariantMap{{"padding", "same"}} << "4x3x3" << -1LL;
    QTest::newRow("maxpool explicit stride") << "MaxPool2D" << "4x4x4" << QVariantMap{{"stride", pair(1, 1)}} << "4x3x3" << -1LL;
    QTest::newRow("maxpool larger than input") << "MaxPool2D" << "4x3x3" << QVariantMap{{"pool_size", pair(4, 4)}} << "error: pool 4x4 is larger than its 3x3 input" << -1LL;
    QTest::newRow("avgpool rectangular") << "AvgPool2D" << "2x8x9" << QVariantMap{{"pool_size", pair(2, 3)}} << "2x4x3" << 0LL;
    QTest::newRow("global average pool") << "GlobalAvgPool2D" << "64x13x13" << QVariantMap{} << "64" << 0LL;
    QTest::newRow("global average pool on vector") << "GlobalAvgPool2D" << "64" << QVariantMap{} << "error: needs CxHxW" << -1LL;
    QTest::newRow("upscale") << "Upscale2D" << "32x4x4" << QVariantMap{{"scale", pair(2, 3)}} << "32x8x12" << 0LL;
    QTest::newRow("upscale bilinear") << "Upscale2D" << "1x5x5" << QVariantMap{{"mode", "bilinear"}} << "1x10x10" << 0LL;
    QTest::newRow("upscale beyond the element limit") << "Upscale2D" << "1x1000x1000" << QVariantMap{{"scale", pair(1000, 1000)}} << "error: would hold more than 2,147,483,648 values per sample" << -1LL;

    // Dense flattens any input.
    QTest::newRow("dense after 3-D input") << "Dense" << "32x4x4" << QVariantMap{{"units", 256}} << "256" << 131328LL;
    QTest::newRow("dense on vector") << "Dense" << "800" << QVariantMap{{"units", 10}} << "10" << 8010LL;
    QTest::newRow("dense per step") << "Dense" << "12x8" << QVariantMap{{"units", 5}, {"per_step", true}} << "12x5" << 45LL;
    QTest::newRow("dense per step on a vector") << "Dense" << "8" << QVariantMap{{"per_step", true}} << "error: per_step needs a sequence TxF (time steps x features), got 8" << -1LL;
    QTest::newRow("dense without bias") << "Dense" << "10" << QVariantMap{{"units", 3}, {"use_bias", false}} << "3" << 30LL;

    // Element-wise and structural layers.
    QTest::newRow("activation") << "Activation" << "32x4x4" << QVariantMap{{"function", "tanh"}} << "32x4x4" << 0LL;
    QTest::newRow("dropout") << "Dropout" << "800" << QVariantMap{{"rate", 0.2}} << "800" << 0LL;
    QTest::newRow("batchnorm maps") << "BatchNorm" << "16x8x8" << QVariantMap{} << "16x8x8" << 32LL;
    QTest::newRow("batchnorm vector") << "BatchNorm" << "100" << QVariantMap{} << "100" << 200LL;
    QTest::newRow("flatten") << "Flatten" << "32x4x4" << QVariantMap{} << "512" << 0LL;
    QTest::newRow("reshape") << "Reshape" << "512" << QVariantMap{{"shape", QVariantList{32, 4, 4}}} << "32x4x4" << 0LL;
    QTest::newRow("reshape with -1") << "Reshape" << "512" << QVariantMap{{"shape", QVariantList{-1, 4, 4}}} << "32x4x4" << 0LL;
    QTest::newRow("reshape to vector with -1") << "Reshape" << "32x4x4" << QVariantMap{{"shape", QVariantList{-1}}} << "512" << 0LL;
    QTest::newRow("reshape wrong count") << "Reshape" << "512" << QVariantMap{{"shape", QVariantList{32, 4, 5}}} << "error: cannot reshape 512 values (512) into 32x4x5 (640 values)" << -1LL;
    QTest::newRow("reshape -1 not a multiple") << "Reshape" << "512" << QVariantMap{{"shape", QVariantList{-1, 3}}} << "error: 512 is not a multiple of 3" << -1LL;

    // Merges.
    QTest::newRow("concat maps") << "Concat" << "32x8x8;16x8x8" << QVariantMap{} << "48x8x8" << 0LL;
    QTest::newRow("concat vectors") << "Concat" << "256;288" << QVariantMap{} << "544" << 0LL;
    QTest::newRow("concat three") << "Concat" << "1x2x2;2x2x2;3x2x2" << QVariantMap{{"inputs", 3}} << "6x2x2" << 0LL;
    QTest::newRow("concat along height") << "Concat" << "4x3x8;4x5x8" << QVariantMap{{"axis", 1}} << "4x8x8" << 0LL;
    QTest::newRow("concat mismatched maps") << "Concat" << "32x8x8;32x7x7" << QVariantMap{} << "error: Concat \"layer\": input 2 has 7x7 maps, input 1 has 8x8" << -1LL;
    QTest::newRow("concat mismatched rank") << "Concat" << "32x8x8;512" << QVariantMap{} << "error: input 2 is 512, input 1 is 32x8x8" << -1LL;
    QTest::newRow("concat axis beyond rank") << "Concat" << "10;10" << QVariantMap{{"axis", 2}} << "error: axis 2 does not exist in input 1 (10)" << -1LL;
    QTest::newRow("add") << "Add" << "16x8x8;16x8x8" << QVariantMap{} << "16x8x8" << 0LL;
    QTest::newRow("add mismatched") << "Add" << "16x8x8;16x4x4" << QVariantMap{} << "error: Add \"layer\": input 2 is 16x4x4, input 1 is 16x8x8; Add needs equal shapes" << -1LL;

    // Recurrent layers (PyTorch's parameter layout: two biases).
    QTest::newRow("simple rnn") << "SimpleRNN" << "28x28" << QVariantMap{{"units", 64}} << "64" << 64LL * 28 + 64 * 64 + 128;
    QTest::newRow("rnn sequences") << "SimpleRNN" << "28x28" << QVariantMap{{"units", 64}, {"return_sequences", true}} << "28x64" << -1LL;
    QTest::newRow("lstm") << "LSTM" << "10x8" << QVariantMap{{"units", 16}} << "16" << 4LL * (16 * 8 + 16 * 16 + 32);
    QTest::newRow("gru") << "GRU" << "10x8" << QVariantMap{{"units", 16}} << "16" << 3LL * (16 * 8 + 16 * 16 + 32);
    QTest::newRow("bidirectional gru") << "GRU" << "10x8" << QVariantMap{{"units", 16}, {"bidirectional", true}} << "32" << 2 * 3LL * (16 * 8 + 16 * 16 + 32);
    QTest::newRow("bidirectional lstm sequences") << "LSTM" << "10x8" << QVariantMap{{"units", 16}, {"bidirectional", true}, {"return_sequences", true}} << "10x32" << 2 * 4LL * (16 * 8 + 16 * 16 + 32);
    QTest::newRow("lstm initial states") << "LSTM" << "10x8;16;16" << QVariantMap{{"units", 16}} << "16" << 4LL * (16 * 8 + 16 * 16 + 32);
    QTest::newRow("lstm initial cell only") << "LSTM" << "10x8;;16" << QVariantMap{{"units", 16}} << "16" << -1LL;
    QTest::newRow("bidirectional gru initial state per direction") << "GRU" << "10x8;2x16" << QVariantMap{{"units", 16}, {"bidirectional", true}} << "32" << -1LL;
    QTest::newRow("bidirectional rnn flat initial state") << "SimpleRNN" << "10x8;32" << QVariantMap{{"units", 16}, {"bidirectional", true}} << "32" << -1LL;
    QTest::newRow("lstm initial state too small") << "LSTM" << "10x8;8" << QVariantMap{{"units", 16}} << "error: the initial state h0 needs 16 values per sample, got 8" << -1LL;
    QTest::newRow("bidirectional lstm cell state for one direction") << "LSTM" << "10x8;;16" << QVariantMap{{"units", 16}, {"bidirectional", true}} << "error: the initial state c0 needs 2x16 (one row per direction) values per sample, got 16" << -1LL;
    QTest::newRow("embedding") << "Embedding" << "20" << QVariantMap{{"vocabulary", 50}, {"units", 8}} << "20x8" << 400LL;
    QTest::newRow("embedding of a table") << "Embedding" << "20x3" << QVariantMap{} << "error: needs a sequence of token indices (shape T), got 20x3" << -1LL;
    QTest::newRow("lstm on images") << "LSTM" << "1x28x28" << QVariantMap{} << "error: needs a sequence TxF (time steps x features), got 1x28x28 (add a Reshape to 28x28)" << -1LL;

    // Losses: inputs are prediction (or logits) then target.
    QTest::newRow("softmax cross-entropy") << "SoftmaxCrossEntropy" << "10;1" << QVariantMap{} << "scalar" << 0LL;
    QTest::newRow("cross-entropy on maps") << "SoftmaxCrossEntropy" << "10x2x2;1" << QVariantMap{} << "error: logits must be a vector of class scores, or TxC scores per time step, got 10x2x2" << -1LL;
    QTest::newRow("cross-entropy per step") << "SoftmaxCrossEntropy" << "12x5;12" << QVariantMap{} << "scalar" << 0LL;
    QTest::newRow("cross-entropy per step bad target") << "SoftmaxCrossEntropy" << "12x5;1" << QVariantMap{} << "error: per-step logits 12x5 need one class index per step (shape 12, -1 for padding), got 1" << -1LL;
    QTest::newRow("cross-entropy bad target") << "SoftmaxCrossEntropy" << "10;10" << QVariantMap{} << "error: target must be one class index per sample" << -1LL;
    QTest::newRow("mse") << "MSE" << "1x28x28;1x28x28" << QVariantMap{} << "scalar" << 0LL;
    QTest::newRow("mse mismatched") << "MSE" << "784;1x28x28" << QVariantMap{} << "error: prediction is 784 but target is 1x28x28; they must match" << -1LL;
    QTest::newRow("binary cross-entropy") << "BinaryCrossEntropy" << "1;1" << QVariantMap{} << "scalar" << 0LL;
    // clang-format on
}

void ShapeRulesTest::everyLayerType() {
    QFETCH(QString, type);
    QFETCH(QString, inputs);
    QFETCH(QVariantMap, params);
    QFETCH(QString, expected);
    QFETCH(qlonglong, paramCount);

    SingleLayerGraph built = buildSingleLayer(type, inputs, params);
    QVERIFY2(built.error.isEmpty(), qPrintable(built.error));
    InferenceResult result = inferShapes(built.graph);
    QString actual = outcomeText(result, built.layer);
    if (expected.startsWith("error: ")) {
        QVERIFY2(actual.startsWith("error: "), qPrintable("no error, got " + actual));
        QVERIFY2(actual.contains(expected.mid(7)), qPrintable(actual));
        QVERIFY(!result.valid());
    } else {
        QCOMPARE(actual, expected);
        if (paramCount >= 0)
            QCOMPARE(result.node(built.layer)->paramCount, paramCount);
    }
}

void ShapeRulesTest::everyRegisteredTypeIsCovered() {
    // Each type in the registry must appear in the table above (a new type needs rows).
    QSet<QString> covered;
    const char* rows[] = {"Input",      "Conv2D",
                          "Deconv2D",   "MaxPool2D",
                          "AvgPool2D",  "GlobalAvgPool2D",
                          "Upscale2D",  "Dense",
                          "Activation", "Dropout",
                          "BatchNorm",  "Flatten",
                          "Reshape",    "Concat",
                          "Add",        "SimpleRNN",
                          "LSTM",       "GRU",
                          "Embedding",  "SoftmaxCrossEntropy",
                          "MSE",        "BinaryCrossEntropy"};
    for (const char* row : rows)
        covered.insert(row);
    for (const LayerSpec& spec : LayerRegistry::instance().specs())
        QVERIFY2(covered.contains(QString::fromStdString(spec.type)), spec.type.c_str());
    QCOMPARE(qsizetype(LayerRegistry::instance().specs().size()), covered.size());
}

void ShapeRulesTest::diagnosticsNameNodeAndPort() {
    SingleLayerGraph built = buildSingleLayer("Concat", "32x8x8;32x7x7", {});
    QVERIFY(built.error.isEmpty());
    InferenceResult result = inferShapes(built.graph);
    const NodeInference* n = result.node(built.layer);
    QCOMPARE(n->diagnostics.size(), std::size_t(1));
    QCOMPARE(n->diagnostics[0].node, built.layer);
    QCOMPARE(n->diagnostics[0].inPort, std::optional<PortIndex>(1));
    QCOMPARE(n->diagnostics[0].severity, Severity::Error);
}

void ShapeRulesTest::unconnectedInputIsReported() {
    SingleLayerGraph built = buildSingleLayer("Add", "4", {{"inputs", 3}});
    QVERIFY(built.error.isEmpty());
    InferenceResult result = inferShapes(built.graph);
    const NodeInference* n = result.node(built.layer);
    QCOMPARE(n->diagnostics.size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(n->diagnostics[0].message),
             QString("Add \"layer\": input \"in1\" is not connected"));
    QCOMPARE(n->diagnostics[1].inPort, std::optional<PortIndex>(2));
    QVERIFY(!n->outputs[0].has_value());
}

void ShapeRulesTest::optionalInputMayStayUnconnected() {
    // A recurrent layer's initial states are optional; its sequence is not.
    SingleLayerGraph built = buildSingleLayer("LSTM", ";16", {{"units", 16}});
    QVERIFY(built.error.isEmpty());
    InferenceResult result = inferShapes(built.graph);
    const NodeInference* n = result.node(built.layer);
    QCOMPARE(n->diagnostics.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(n->diagnostics[0].message),
             QString("LSTM \"layer\": input \"in\" is not connected"));
    const LayerSpec& spec = *LayerRegistry::instance().find("LSTM");
    QVERIFY(!spec.inputOptional(0) && spec.inputOptional(1) && spec.inputOptional(2));
    QCOMPARE(LayerRegistry::instance().find("GRU")->inputs.size(), std::size_t(2));
}

void ShapeRulesTest::trainOnlyLayersAreMarked() {
    QStringList marked;
    for (const LayerSpec& spec : LayerRegistry::instance().specs())
        if (spec.modeDependent)
            marked << QString::fromStdString(spec.type);
    QCOMPARE(marked, QStringList({"Dropout", "BatchNorm"}));
}

QTEST_APPLESS_MAIN(ShapeRulesTest)
#include "tst_shaperules.moc"
