// Forward values of the ops against values computed by hand.

#include "engine/cpu/cpubackend.h"
#include "engine/threading.h"

#include <QtTest>

#include <limits>
#include <utility>

using namespace nc::engine;

namespace {

// Runs one op forward on the CPU backend and returns its output.
struct OneOp {
    OpKind kind;
    OpAttrs attrs;
    std::vector<Tensor> inputs;
    std::vector<Tensor> params;
    Dims outDims;
    Mode mode = Mode::Eval;

    Tensor run(Tensor* stateOut = nullptr) {
        CpuBackend cpu;
        OpCall call;
        call.kind = kind;
        call.attrs = &attrs;
        call.mode = mode;
        for (const Tensor& t : inputs)
            call.inputs.push_back(&t);
        for (Tensor& t : params)
            call.params.push_back(&t);
        Tensor out(outDims), state;
        call.output = &out;
        call.state = stateOut ? stateOut : &state;
        call.seed = 3;
        Status s = cpu.forward(call);
        if (!s)
            qWarning("%s", s.message().c_str());
        return out;
    }
};

Tensor tensor(Dims dims, std::vector<float> values) {
    Tensor t(std::move(dims));
    std::copy(values.begin(), values.end(), t.data());
    return t;
}

void expectValues(const Tensor& t, const std::vector<float>& expected, float tolerance = 1e-5f) {
    QCOMPARE(t.size(), std::int64_t(expected.size()));
    for (std::size_t i = 0; i < expected.size(); ++i)
        if (std::abs(t[std::int64_t(i)] - expected[i]) > tolerance)
            QFAIL(qPrintable(QString("value %1 is %2, expected %3")
                                 .arg(i)
                                 .arg(t[std::int64_t(i)])
                                 .arg(expected[i])));
}

} // namespace

class OpForwardTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setThreadCount(2); }

    void convolution() {
        // 1x3x3 input 1..9, kernel [[1,0],[0,-1]], bias 0.5: out[i][j] = x[i][j] - x[i+1][j+1] +
        // 0.5
        OneOp op{OpKind::Conv2D,
                 {},
                 {tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})},
                 {tensor({1, 1, 2, 2}, {1, 0, 0, -1}), tensor({1}, {0.5f})},
                 {1, 1, 2, 2}};
        op.attrs.window = {2, 2, 1, 1, 1, 1, 0, 0, 0, 0};
        op.attrs.useBias = true;
        expectValues(op.run(), {-3.5f, -3.5f, -3.5f, -3.5f});
        // Dilation 2 over the whole 3x3: x[0][0] - x[2][2] + 0.5.
        op.outDims = {1, 1, 1, 1};
        op.attrs.window.dh = op.attrs.window.dw = 2;
        expectValues(op.run(), {-7.5f});
    }

    void convolutionPaddedCorners() {
        // Same input; kernel of ones 2x2, stride 2, pad 1 top/left: windows cover
        // {1}, {2,3}, {4,7}, {5,6,8,9}.
        OneOp op{OpKind::Conv2D,
                 {},
                 {tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})},
                 {tensor({1, 1, 2, 2}, {1, 1, 1, 1})},
                 {1, 1, 2, 2}};
        op.attrs.window = {2, 2, 2, 2, 1, 1, 1, 1, 0, 0};
        expectValues(op.run(), {1, 5, 11, 28});
    }

    void transposedConvolution() {
        // 1x2x2 input [[1,2],[3,4]], kernel ones 2x2, stride 2: each input fills a 2x2 block.
        OneOp op{OpKind::Deconv2D,
                 {},
                 {tensor({1, 1, 2, 2}, {1, 2, 3, 4})},
                 {tensor({1, 1, 2, 2}, {1, 1, 1, 1})},
                 {1, 1, 4, 4}};
        op.attrs.window = {2, 2, 2, 2, 1, 1, 0, 0, 0, 0};
        expectValues(op.run(), {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
        // Stride 1: overlapping blocks add up.
        op.outDims = {1, 1, 3, 3};
        op.attrs.window.sh = op.attrs.window.sw = 1;
        expectValues(op.run(), {1, 3, 2, 4, 10, 6, 3, 7, 4});
    }

    void pooling() {
        Tensor x = tensor({1, 1, 4, 4}, {1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 1, 1, 9, 2, 1, 7});
        OneOp maxPool{OpKind::MaxPool2D, {}, {x}, {}, {1, 1, 2, 2}};
        maxPool.attrs.window = {2, 2, 2, 2, 1, 1, 0, 0, 0, 0};
        expectValues(maxPool.run(), {5, 8, 9, 7});
        OneOp avgPool{OpKind::AvgPool2D, maxPool.attrs, {x}, {}, {1, 1, 2, 2}};
        expectValues(avgPool.run(), {3.25f, 2.75f, 2.75f, 2.5f});
        // "same" over 3x3 with a 2x2 window: the edge windows average only real cells.
        OneOp edge{OpKind::AvgPool2D,
                   {},
                   {tensor({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9})},
                   {},
                   {1, 1, 2, 2}};
        edge.attrs.window = {2, 2, 2, 2, 1, 1, 0, 0, 1, 1};
        expectValues(edge.run(), {3, 4.5f, 7.5f, 9});
        OneOp global{OpKind::GlobalAvgPool2D, {}, {x}, {}, {1, 1}};
        expectValues(global.run(), {2.8125f});
    }

    // The vectorised 2x2 path picks the same winners as a plain scan: the first cell holding
    // the largest value, NaN never winning, the window's first cell when nothing does. "same"
    // padding on an odd size (windows clipped at the bottom and right) takes the general loop.
    void maxPoolWinnersMatchAPlainScan() {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const float inf = std::numeric_limits<float>::infinity();
        struct Case {
            int h, w;
            bool same;
        };
        for (auto [h, w, same] : {Case{6, 8, false}, {5, 7, false}, {4, 34, false}, {5, 7, true}}) {
            Tensor x({2, 3, h, w});
            for (std::int64_t i = 0; i < x.size(); ++i)
                x[i] = float((i * 7919) % 5) - 2.0f; // few values: many ties
            x[1] = nan;
            for (int k = 0; k < 4; ++k) // a window of NaN and -inf only
                x[2 * w + 2 + (k / 2) * w + k % 2] = k == 1 ? -inf : nan;
            x[4 * w] = -inf;
            const int oh = same ? (h + 1) / 2 : h / 2, ow = same ? (w + 1) / 2 : w / 2;
            OneOp pool{OpKind::MaxPool2D, {}, {x}, {}, {2, 3, oh, ow}};
            pool.attrs.window = {2, 2, 2, 2, 1, 1, 0, 0, same ? 1 : 0, same ? 1 : 0};
            Tensor winners;
            Tensor y = pool.run(&winners);
            for (std::int64_t plane = 0; plane < 6; ++plane)
                for (int oy = 0; oy < oh; ++oy)
                    for (int ox = 0; ox < ow; ++ox) {
                        const float* in = x.data() + plane * h * w;
                        float best = -inf;
                        int bestIndex = 2 * oy * w + 2 * ox;
                        for (int cell = 0; cell < 4; ++cell) {
                            const int row = 2 * oy + cell / 2, column = 2 * ox + cell % 2;
                            if (row >= h || column >= w)
                                continue; // padding
                            const int index = row * w + column;
                            if (in[index] > best) {
                                best = in[index];
                                bestIndex = index;
                            }
                        }
                        const std::int64_t at = (plane * oh + oy) * ow + ox;
                        QCOMPARE(y[at], best);
                        QCOMPARE(winners[at], float(bestIndex));
                    }
        }
    }

    void upscaling() {
        Tensor x = tensor({1, 1, 2, 2}, {1, 2, 3, 4});
        OneOp nearest{OpKind::Upscale2D, {}, {x}, {}, {1, 1, 4, 4}};
        nearest.attrs.window.sh = nearest.attrs.window.sw = 2;
        expectValues(nearest.run(), {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4});
        // Bilinear, align_corners=False (PyTorch): row 0 is [1, 1.25, 1.75, 2].
        OneOp bilinear = nearest;
        bilinear.attrs.bilinear = true;
        expectValues(bilinear.run(), {1, 1.25f, 1.75f, 2, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f,
                                      3.25f, 3.5f, 3, 3.25f, 3.75f, 4});
    }

    void dense() {
        // W = [[1,2,3],[0,-1,1]], b = [1, -1], x = [1, 1, 2] -> [10, 0] (then tanh/sigmoid/softmax)
        OneOp op{OpKind::Dense,
                 {},
                 {tensor({1, 3}, {1, 1, 2})},
                 {tensor({2, 3}, {1, 2, 3, 0, -1, 1}), tensor({2}, {1, -1})},
                 {1, 2}};
        op.attrs.useBias = true;
        expectValues(op.run(), {10, 0});
        op.attrs.activation = ActivationKind::Sigmoid;
        expectValues(op.run(), {1.0f / (1.0f + std::exp(-10.0f)), 0.5f});
        op.attrs.activation = ActivationKind::Softmax;
        const float e = std::exp(10.0f);
        expectValues(op.run(), {e / (e + 1), 1 / (e + 1)});
    }

    void densePerStep() {
        // The same W and b at each of two steps of one sample: [1,1,2] -> [10,0], [0,0,1] -> [4,0].
        OneOp op{OpKind::Dense,
                 {},
                 {tensor({1, 2, 3}, {1, 1, 2, 0, 0, 1})},
                 {tensor({2, 3}, {1, 2, 3, 0, -1, 1}), tensor({2}, {1, -1})},
                 {1, 2, 2}};
        op.attrs.useBias = true;
        expectValues(op.run(), {10, 0, 4, 0});
        op.attrs.activation = ActivationKind::Softmax; // over each step's units
        const float e10 = std::exp(10.0f), e4 = std::exp(4.0f);
        expectValues(op.run(), {e10 / (e10 + 1), 1 / (e10 + 1), e4 / (e4 + 1), 1 / (e4 + 1)});
    }

    void embedding() {
        // Rows of W [3, 2] for tokens 2, 0, 2 (one sample of three steps).
        OneOp op{OpKind::Embedding,
                 {},
                 {tensor({1, 3}, {2, 0, 2})},
                 {tensor({3, 2}, {1, 2, 3, 4, 5, 6})},
                 {1, 3, 2}};
        expectValues(op.run(), {5, 6, 1, 2, 5, 6});
        // A token outside the vocabulary, or not a whole number, is refused by place.
        for (float bad : {3.0f, -1.0f, 0.5f}) {
            CpuBackend cpu;
            Tensor tokens = tensor({2, 2}, {0, 1, 2, bad}), out({2, 2, 2}), state;
            OpCall call;
            call.kind = OpKind::Embedding;
            call.attrs = &op.attrs;
            call.inputs = {&tokens};
            call.params = {&op.params[0]};
            call.output = &out;
            call.state = &state;
            Status s = cpu.forward(call);
            QVERIFY(!s);
            QVERIFY2(QString::fromStdString(s.message()).contains("sample 1, step 1 has token") &&
                         QString::fromStdString(s.message()).contains("vocabulary has 3 tokens"),
                     s.message().c_str());
        }
    }

    void activations() {
        Tensor x = tensor({1, 4}, {-2, -0.5f, 0, 3});
        OneOp op{OpKind::Activation, {}, {x}, {}, {1, 4}};
        op.attrs.activation = ActivationKind::Relu;
        expectValues(op.run(), {0, 0, 0, 3});
        op.attrs.activation = ActivationKind::LeakyRelu;
        op.attrs.alpha = 0.1f;
        expectValues(op.run(), {-0.2f, -0.05f, 0, 3});
        op.attrs.activation = ActivationKind::Elu;
        op.attrs.alpha = 1.0f;
        expectValues(op.run(), {std::expm1(-2.0f), std::expm1(-0.5f), 0, 3});
        op.attrs.activation = ActivationKind::Tanh;
        expectValues(op.run(), {std::tanh(-2.0f), std::tanh(-0.5f), 0, std::tanh(3.0f)});
    }

    void softmaxRunsOverChannels() {
        // 2 channels x 2 pixels: each pixel's two channel values sum to 1.
        OneOp op{OpKind::Activation, {}, {tensor({1, 2, 1, 2}, {0, 1, 0, 1})}, {}, {1, 2, 1, 2}};
        op.attrs.activation = ActivationKind::Softmax;
        expectValues(op.run(), {0.5f, 0.5f, 0.5f, 0.5f});
    }

    void batchNormTrainAndEval() {
        // Channel values 1, 3 (mean 2, biased variance 1): normalised to -1, 1 (eps 0).
        Tensor x = tensor({2, 1}, {1, 3});
        OneOp op{OpKind::BatchNorm,
                 {},
                 {x},
                 {tensor({1}, {2}), tensor({1}, {0.5f}), tensor({1}, {0}), tensor({1}, {1})},
                 {2, 1}};
        op.attrs.epsilon = 0;
        op.attrs.momentum = 0.9f;
        op.mode = Mode::Train;
        expectValues(op.run(), {-1.5f, 2.5f});
        // Running stats after one step: mean 0.2, var 0.9 + 0.1 * 2 (unbiased) = 1.1.
        expectValues(op.params[2], {0.2f});
        expectValues(op.params[3], {1.1f});
        op.mode = Mode::Eval;
        const float s = 1.0f / std::sqrt(1.1f);
        expectValues(op.run(), {2 * (1 - 0.2f) * s + 0.5f, 2 * (3 - 0.2f) * s + 0.5f});
    }

    void dropoutKeepsExpectationAndActsInTrainingOnly() {
        Tensor x(Dims{1, 20000}, 1.0f);
        OneOp op{OpKind::Dropout, {}, {x}, {}, {1, 20000}};
        op.attrs.rate = 0.25f;
        expectValues(op.run(), std::vector<float>(20000, 1.0f)); // evaluation: identity
        op.mode = Mode::Train;
        Tensor y = op.run();
        int kept = 0;
        for (std::int64_t i = 0; i < y.size(); ++i) {
            QVERIFY(y[i] == 0.0f || std::abs(y[i] - 1.0f / 0.75f) < 1e-6f);
            kept += y[i] != 0.0f;
        }
        QVERIFY(std::abs(kept / 20000.0 - 0.75) < 0.02);
    }

    void mergesAndReshape() {
        Tensor a = tensor({2, 1, 1, 2}, {1, 2, 3, 4}),
               b = tensor({2, 2, 1, 2}, {5, 6, 7, 8, 9, 10, 11, 12});
        OneOp concat{OpKind::Concat, {}, {a, b}, {}, {2, 3, 1, 2}};
        expectValues(concat.run(), {1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12});
        OneOp add{OpKind::Add, {}, {a, a}, {}, {2, 1, 1, 2}};
        expectValues(add.run(), {2, 4, 6, 8});
        OneOp reshape{OpKind::Reshape, {}, {b}, {}, {2, 4}};
        expectValues(reshape.run(), {5, 6, 7, 8, 9, 10, 11, 12});
    }

    void losses() {
        // Logits [0, ln 3] for class 1: p = [1/4, 3/4], loss -ln(3/4).
        OneOp ce{OpKind::SoftmaxCrossEntropy,
                 {},
                 {tensor({1, 2}, {0, std::log(3.0f)}), tensor({1, 1}, {1})},
                 {},
                 {1}};
        expectValues(ce.run(), {-std::log(0.75f)});
        OneOp mse{OpKind::MSE, {}, {tensor({1, 2}, {1, 3}), tensor({1, 2}, {0, 0})}, {}, {1}};
        expectValues(mse.run(), {5});
        OneOp bce{OpKind::BinaryCrossEntropy,
                  {},
                  {tensor({1, 2}, {0.5f, 0.9f}), tensor({1, 2}, {1, 0})},
                  {},
                  {1}};
        expectValues(bce.run(), {(-std::log(0.5f) - std::log(0.1f)) / 2});
    }

    void crossEntropyPerStepSkipsPadding() {
        // Two samples of two steps; one step is padding (-1). The mean is over the three others:
        // step [0, ln 3] class 1 -> -ln(3/4); [0, 0] class 0 -> ln 2; [ln 3, 0] class 0 ->
        // -ln(3/4).
        const float l3 = std::log(3.0f);
        OneOp ce{OpKind::SoftmaxCrossEntropy,
                 {},
                 {tensor({2, 2, 2}, {0, l3, 0, 0, 5, -5, l3, 0}), tensor({2, 2}, {1, 0, -1, 0})},
                 {},
                 {1}};
        Tensor state;
        expectValues(ce.run(&state), {(-2 * std::log(0.75f) + std::log(2.0f)) / 3});
        QCOMPARE(state[state.size() - 1], 3.0f); // labelled steps
        for (int c = 0; c < 2; ++c) // the padded step has no probabilities and no gradient
            QCOMPARE(state[4 + c], 0.0f);

        CpuBackend cpu;
        Tensor grad({2, 2, 2}), seed = tensor({1}, {1});
        OpCall back;
        back.kind = OpKind::SoftmaxCrossEntropy;
        back.attrs = &ce.attrs;
        back.inputs = {&ce.inputs[0], &ce.inputs[1]};
        back.state = &state;
        back.gradOutput = &seed;
        back.gradInputs = {&grad, nullptr};
        QVERIFY(cpu.backward(back));
        expectValues(grad,
                     {0.25f / 3, -0.25f / 3, -0.5f / 3, 0.5f / 3, 0, 0, -0.25f / 3, 0.25f / 3});

        // Every step padded: no loss and no gradient, not a division by zero.
        OneOp empty{OpKind::SoftmaxCrossEntropy,
                    {},
                    {tensor({1, 2, 2}, {1, 2, 3, 4}), tensor({1, 2}, {-1, -1})},
                    {},
                    {1}};
        expectValues(empty.run(), {0});
    }

    void lossesRejectBadTargets() {
        CpuBackend cpu;
        OpAttrs attrs;
        Tensor logits = tensor({1, 2}, {0, 1}), target = tensor({1, 1}, {7}), out(Dims{1}), state;
        OpCall call;
        call.kind = OpKind::SoftmaxCrossEntropy;
        call.attrs = &attrs;
        call.inputs = {&logits, &target};
        call.output = &out;
        call.state = &state;
        Status s = cpu.forward(call);
        QVERIFY(!s);
        QVERIFY2(QString::fromStdString(s.message()).contains("sample 0 has class 7"),
                 s.message().c_str());

        // Per step, the message names the sample and the step; -1 is padding, -2 too.
        Tensor steps = tensor({1, 2, 2}, {0, 1, 1, 0}), classes = tensor({1, 2}, {-2, 2.5f});
        call.inputs = {&steps, &classes};
        s = cpu.forward(call);
        QVERIFY(!s);
        QVERIFY2(QString::fromStdString(s.message()).contains("sample 0, step 1 has class 2.5"),
                 s.message().c_str());
    }
};

QTEST_APPLESS_MAIN(OpForwardTest)
#include "tst_opforward.moc"
