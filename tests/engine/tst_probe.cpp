// Probes (engine/probe): every edge of the examples probes to its inferred shape, subgraph
// execution runs only an edge's ancestors, probing during training leaves the run's losses
// bit-identical, the confusion matrix adds up, saliency is the class score's input gradient
// (finite differences) and Grad-CAM matches a hand-computed case.

#include "enginetesting.h"

#include "engine/backendlist.h"
#include "engine/cpu/cpubackend.h"
#include "engine/data/dataspec.h"
#include "engine/executor.h"
#include "engine/probe/classifiereval.h"
#include "engine/probe/edgeprobe.h"
#include "engine/probe/layerhealth.h"
#include "engine/probe/layertiming.h"
#include "engine/probe/probeweights.h"
#include "engine/probe/reconstruction.h"
#include "engine/probe/recurrenttrace.h"
#include "engine/probe/saliency.h"
#include "engine/probe/tensorstats.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <set>
#include <thread>

using namespace nc::engine;

namespace {

// The CPU backend, counting the ops it runs forward.
class CountingBackend : public Backend {
public:
    std::string name() const override { return "counting cpu"; }
    Device device() const override { return m_cpu.device(); }
    bool supportsOp(OpKind kind) const override { return m_cpu.supportsOp(kind); }
    Status forward(const OpCall& call) override {
        ++calls;
        return m_cpu.forward(call);
    }
    Status backward(const OpCall& call) override { return m_cpu.backward(call); }
    Tensor newTensor() const override { return m_cpu.newTensor(); }
    Status upload(const Tensor& host, Tensor& target) override {
        return m_cpu.upload(host, target);
    }
    Status download(const Tensor& source, Tensor& host) override {
        return m_cpu.download(source, host);
    }
    Status synchronize() override { return m_cpu.synchronize(); }
    Result<bool> allFinite(const Tensor& t) override { return m_cpu.allFinite(t); }
    Status optimizerStep(const OptimizerRule& rule,
                         std::span<const ParameterSlot> parameters) override {
        return m_cpu.optimizerStep(rule, parameters);
    }
    int calls = 0;

private:
    CpuBackend m_cpu;
};

// The steps an edge needs: its node and every node upstream of it (not the Input, which the
// executor binds without an op).
int ancestorOps(const Model& model, NodeId node) {
    std::set<NodeId> seen;
    std::vector<NodeId> pending{node};
    while (!pending.empty()) {
        const NodeId n = pending.back();
        pending.pop_back();
        if (!seen.insert(n).second)
            continue;
        for (const auto& e : model.graph().edgesInto(n))
            pending.push_back(e.outNode);
    }
    return int(seen.size()) - 1; // the Input
}

Dataset digits(int count) {
    auto data = loadDataset("synthetic:digits?count=" + std::to_string(count), {1, 28, 28});
    return std::move(data).value();
}

} // namespace

class ProbeTest : public QObject {
    Q_OBJECT

private slots:
    // A picture of rows ([1, 28, 28] per sample, a drawing or an image file) runs an Input of
    // rows ([28, 28]) as the same values; samples or targets shaped for another graph are
    // refused by name instead of read past their end.
    void samplesTakeTheInputsShape() {
        Model model = nc::test::compileExample("rnn_rows_mnist");
        initializeParameters(model.params(), 3);
        CpuBackend cpu;
        const Tensor rows = nc::test::randomTensor({2, 28, 28}, 5, 0.0f, 1.0f);
        Tensor picture({2, 1, 28, 28});
        std::copy(rows.data(), rows.data() + rows.size(), picture.data());
        EdgeRef last;
        for (const PlanStep& step : model.steps())
            if (!isLoss(step.kind) && step.kind != OpKind::Input)
                last = EdgeRef{step.node, 0};
        auto logits = [&](const Tensor& x, const Tensor& y) -> Result<Tensor> {
            ProbeOptions options;
            options.targets = y;
            auto probed = probeEdges(model, cpu, x, std::span(&last, 1), options);
            if (!probed)
                return probed.status();
            return probed.value()[0];
        };
        const Tensor targets = zeroTargets(model, 2);
        auto fromRows = logits(rows, targets), fromPicture = logits(picture, targets);
        QVERIFY2(fromRows && fromPicture, fromPicture.message().c_str());
        QCOMPARE(fromPicture.value().dims(), fromRows.value().dims());
        for (std::int64_t i = 0; i < fromRows.value().size(); ++i)
            QCOMPARE(fromPicture.value()[i], fromRows.value()[i]);
        auto other = logits(nc::test::randomTensor({2, 3, 28, 28}, 6), targets);
        QVERIFY(!other);
        QVERIFY2(QString::fromStdString(other.message()).contains("Input takes"),
                 other.message().c_str());
        auto shortTargets = logits(rows, Tensor({1, 1}));
        QVERIFY(!shortTargets);
    }

    void everyEdgeProbesToItsShape_data() {
        QTest::addColumn<QString>("example");
        for (const char* name :
             {"mlp", "mnist_cnn", "modified_cnn", "conv_autoencoder", "catsdogs_cnn"})
            QTest::newRow(name) << name;
    }
    void everyEdgeProbesToItsShape() {
        QFETCH(QString, example);
        Model model = nc::test::compileExample(example.toUtf8().constData());
        initialWeights(model, 1);
        CpuBackend backend;
        const Tensor x = nc::test::randomTensor(
            [&] {
                Dims d{2};
                for (auto v : inputDims(model))
                    d.push_back(v);
                return d;
            }(),
            3, 0, 1);
        int probed = 0;
        for (const Value& v : model.values()) {
            const EdgeRef edge{v.node, v.port};
            auto out = probeEdges(model, backend, x, std::span(&edge, 1));
            QVERIFY2(out, out ? "" : out.message().c_str());
            Dims expected{2};
            expected.insert(expected.end(), v.perSample.begin(), v.perSample.end());
            const OpKind kind = model.stepOf(v.node)->kind;
            if ((kind == OpKind::Input && v.port == 1) || isLoss(kind))
                continue; // the targets (bound as given) and losses (one number a batch)
            QCOMPARE(out.value()[0].dims(), expected);
            ++probed;
        }
        QVERIFY(probed >= 4);
    }

    void onlyAncestorsRun_data() {
        QTest::addColumn<QString>("edge");
        QTest::newRow("conv1") << "conv1";
        QTest::newRow("pool1") << "pool1";
        QTest::newRow("fc1") << "fc1";
        QTest::newRow("logits") << "logits";
    }
    void onlyAncestorsRun() {
        QFETCH(QString, edge);
        Model model = nc::test::compileExample("mnist_cnn");
        initialWeights(model, 1);
        CountingBackend backend;
        auto ref = parseEdgeRef(model.graph(), edge.toStdString());
        QVERIFY(ref);
        const Tensor x({1, 1, 28, 28}, 0.5f);
        QVERIFY(probeEdges(model, backend, x, std::span(&ref.value(), 1)));
        QCOMPARE(backend.calls, ancestorOps(model, ref.value().node));
        QVERIFY(backend.calls < int(model.steps().size()) - 1); // never the loss
    }

    void edgeNamesAreChecked() {
        Model model = nc::test::compileExample("mnist_cnn");
        QVERIFY(parseEdgeRef(model.graph(), "conv1:out"));
        QVERIFY(parseEdgeRef(model.graph(), "2"));
        auto bad = parseEdgeRef(model.graph(), "conv1:nope");
        QVERIFY(!bad);
        QVERIFY(bad.message().find("outputs: out") != std::string::npos);
        QVERIFY(!parseEdgeRef(model.graph(), "nothere"));
    }

    void trainModeShowsDropout() {
        Model model = nc::test::compileExample("mnist_cnn");
        initialWeights(model, 1);
        CpuBackend backend;
        auto drop = parseEdgeRef(model.graph(), "drop1").value(); // nothing drops upstream
        const Tensor x = nc::test::randomTensor({1, 1, 28, 28}, 9, 0, 1);
        ProbeOptions train;
        train.mode = Mode::Train;
        const Tensor eval = probeEdges(model, backend, x, std::span(&drop, 1)).value()[0];
        const Tensor dropped = probeEdges(model, backend, x, std::span(&drop, 1), train).value()[0];
        const TensorStats e = tensorStats(eval), t = tensorStats(dropped);
        QVERIFY2(t.zeroShare > e.zeroShare + 0.15, "rate 0.5 drops about half of the rest");
        // Same weights: what survives dropout is the eval value scaled by 1 / (1 - rate).
        for (std::int64_t i = 0; i < eval.size(); ++i)
            if (dropped[i] != 0.0f)
                QVERIFY(std::abs(dropped[i] - 2.0f * eval[i]) <= 1e-5f * (1 + std::abs(eval[i])));
    }

    void statisticsCountDeadAndSaturatedUnits() {
        const Tensor t = [] {
            Tensor v({6});
            const float values[] = {0.0f, 0.0f, 0.995f, -0.999f, 0.5f, NAN};
            std::copy(values, values + 6, v.data());
            return v;
        }();
        const TensorStats s = tensorStats(t, SaturationBand{-0.99f, 0.99f});
        QCOMPARE(s.nonFinite, std::int64_t(1));
        QCOMPARE(s.zeroShare, 2.0 / 5.0);
        QCOMPARE(*s.saturatedShare, 2.0 / 5.0);
        QCOMPARE(s.min, double(-0.999f));
        QCOMPARE(s.max, double(0.995f));
        Model tanhModel = nc::test::compileExample("conv_autoencoder");
        QVERIFY(saturationBandOf(tanhModel, parseEdgeRef(tanhModel.graph(), "conv1").value()));
        QVERIFY(!saturationBandOf(tanhModel, parseEdgeRef(tanhModel.graph(), "pool1").value()));
    }

    // A second thread probes from the trainer's snapshots all through training; the losses
    // must be bit for bit those of a run nobody watched.
    void probingDuringTrainingChangesNothing() {
        const Dataset data = digits(256);
        auto train = [&](bool probe) {
            Model model = nc::test::compileExample("mnist_cnn");
            initializeParameters(model.params(), 5);
            CpuBackend backend;
            TrainConfig config = nc::test::quickConfig(2);
            config.threads = 1;
            config.snapshotEvery = 1;
            Trainer trainer(model, backend, config);
            std::vector<double> losses;
            trainer.onStep = [&](const StepReport& r) { losses.push_back(r.loss); };
            std::atomic<bool> done{false};
            std::atomic<int> probes{0};
            std::thread prober([&] {
                if (!probe)
                    return;
                Model copy = nc::test::compileExample("mnist_cnn");
                CpuBackend own;
                const EdgeRef conv2 = parseEdgeRef(copy.graph(), "conv2").value();
                const Tensor x({1, 1, 28, 28}, 0.25f);
                while (!done) {
                    if (SnapshotPtr s = trainer.latestSnapshot();
                        s && applySnapshot(*s, copy, "snapshot"))
                        if (probeEdges(copy, own, x, std::span(&conv2, 1)))
                            ++probes;
                    std::this_thread::yield();
                }
            });
            const Status fitted = trainer.fit(data, nullptr);
            done = true;
            prober.join();
            if (!fitted)
                qWarning("%s", fitted.message().c_str());
            if (probe)
                qInfo("%d probes during %zu steps", probes.load(), losses.size());
            return std::make_pair(losses, probes.load());
        };
        const auto [plain, none] = train(false);
        const auto [watched, probes] = train(true);
        QVERIFY(probes > 0);
        QCOMPARE(watched.size(), plain.size());
        QVERIFY(!plain.empty());
        for (std::size_t i = 0; i < plain.size(); ++i)
            QVERIFY2(std::memcmp(&plain[i], &watched[i], sizeof(double)) == 0,
                     qPrintable(QString("step %1: %2 vs %3").arg(i).arg(plain[i]).arg(watched[i])));
    }

    void confusionMatrixAddsUp() {
        Model model = nc::test::compileExample("mnist_cnn");
        initialWeights(model, 2);
        CpuBackend backend;
        const Dataset data = digits(300);
        auto report = evaluateClassifier(model, backend, data, 64);
        QVERIFY2(report, report ? "" : report.message().c_str());
        const ClassifierReport& r = report.value();
        QCOMPARE(r.classes, 10);
        QCOMPARE(std::accumulate(r.confusion.begin(), r.confusion.end(), std::int64_t(0)),
                 data.size());
        std::int64_t diagonal = 0;
        for (int c = 0; c < 10; ++c)
            diagonal += r.at(c, c);
        QCOMPARE(diagonal, r.correct);
        QCOMPARE(std::int64_t(r.misclassified.size()), data.size() - r.correct);
        for (std::size_t i = 1; i < r.misclassified.size(); ++i)
            QVERIFY(r.misclassified[i - 1].confidence >= r.misclassified[i].confidence);
        for (const Misclassified& m : r.misclassified) {
            QVERIFY(m.predicted != m.truth);
            QCOMPARE(m.truth, int(data.tables().targets[m.index]));
        }
        Model autoencoder = nc::test::compileExample("conv_autoencoder");
        QVERIFY(!evaluateClassifier(autoencoder, backend, data));
    }

    void precisionAndRecall() {
        ClassifierReport r;
        r.classes = 2;
        r.confusion = {3, 1, 2, 4}; // true 0: 3 right, 1 as 1; true 1: 2 as 0, 4 right
        QCOMPARE(r.precision(0), 3.0 / 5.0);
        QCOMPARE(r.recall(0), 3.0 / 4.0);
        QCOMPARE(r.precision(1), 4.0 / 5.0);
        QCOMPARE(r.recall(1), 4.0 / 6.0);
    }

    void reconstructionEdgeIsTheAutoencodersOutput() {
        Model ae = nc::test::compileExample("conv_autoencoder");
        auto edge = reconstructionEdge(ae);
        QVERIFY(edge);
        QCOMPARE(ae.graph().node(edge->node)->name, std::string("deconv1"));
        QVERIFY(!reconstructionEdge(nc::test::compileExample("mnist_cnn")));
    }

    // Grad-CAM by hand: two 2x2 maps, gradients averaging to alpha = (0.5, -1).
    void gradCamByHand() {
        Tensor maps({2, 2, 2}), grad({2, 2, 2});
        const float a[] = {1, 2, 3, 4, /**/ 1, 0, 0, 1};
        const float g[] = {1, 0, 1, 0, /**/ -1, -1, -1, -1};
        std::copy(a, a + 8, maps.data());
        std::copy(g, g + 8, grad.data());
        const Tensor cam = gradCam(maps, grad);
        // 0.5 * [1 2 3 4] - 1 * [1 0 0 1] = [-0.5 1 1.5 1], then relu.
        const float expected[] = {0.0f, 1.0f, 1.5f, 1.0f};
        QCOMPARE(cam.dims(), (Dims{2, 2}));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(cam[i], expected[i]);
    }

    // Saliency is |d log p(class) / d x|: compare with central differences of the logits.
    void saliencyIsTheClassScoreGradient() {
        auto graph = nc::test::buildChain(
            {1, 4, 4},
            {{"Dense", {{"units", 6}, {"activation", "tanh"}}}, {"Dense", {{"units", 3}}}},
            "SoftmaxCrossEntropy");
        QVERIFY(graph);
        auto compiled = Model::compile(graph.value());
        QVERIFY(compiled);
        Model& model = compiled.value();
        initialWeights(model, 4);
        CpuBackend backend;
        const Tensor x = nc::test::randomTensor({1, 1, 4, 4}, 8, 0, 1);
        const int cls = 2;
        auto evidence = classEvidence(model, backend, x, cls);
        QVERIFY2(evidence, evidence ? "" : evidence.message().c_str());
        const Value& lv = model.values()[std::size_t(model.classifierLogits())];
        const EdgeRef logits{lv.node, lv.port};
        auto logProb = [&](const Tensor& input) {
            const Tensor z = probeEdges(model, backend, input, std::span(&logits, 1)).value()[0];
            double top = z[0], sum = 0;
            for (int c = 1; c < 3; ++c)
                top = std::max(top, double(z[c]));
            for (int c = 0; c < 3; ++c)
                sum += std::exp(double(z[c]) - top);
            return double(z[cls]) - top - std::log(sum);
        };
        const double h = 1e-2;
        for (int i = 0; i < 16; ++i) {
            Tensor up = x, down = x;
            up[i] += float(h);
            down[i] -= float(h);
            const double numeric = std::abs(logProb(up) - logProb(down)) / (2 * h);
            QVERIFY2(std::abs(evidence.value().saliency[i] - numeric) < 2e-3 + 2e-2 * numeric,
                     qPrintable(QString("pixel %1: %2 vs %3")
                                    .arg(i)
                                    .arg(evidence.value().saliency[i])
                                    .arg(numeric)));
        }
        QVERIFY(evidence.value().probability > 0 && evidence.value().probability < 1);
        QVERIFY(!classEvidence(model, backend, x, 3)); // out of range
    }

    void gradCamOnAConvEdge() {
        Model model = nc::test::compileExample("mnist_cnn");
        initialWeights(model, 1);
        CpuBackend backend;
        const Tensor x = nc::test::randomTensor({1, 1, 28, 28}, 2, 0, 1);
        auto conv2 = parseEdgeRef(model.graph(), "conv2").value();
        auto e = classEvidence(model, backend, x, 4, conv2);
        QVERIFY2(e, e ? "" : e.message().c_str());
        QCOMPARE(e.value().gradCam.dims(), (Dims{8, 8}));
        for (std::int64_t i = 0; i < e.value().gradCam.size(); ++i)
            QVERIFY(e.value().gradCam[i] >= 0.0f);
        auto fc1 = parseEdgeRef(model.graph(), "fc1").value();
        QVERIFY(!classEvidence(model, backend, x, 4, fc1)); // not feature maps
    }

    // A unit whose bias keeps it below zero for every sample is dead; its weight row gets no
    // gradient, so the layer's norm is that of the live rows alone.
    void deadUnitsAndGradientNorms() {
        auto graph = nc::test::buildChain(
            {3}, {{"Dense", {{"units", 4}, {"activation", "relu"}}}, {"Dense", {{"units", 2}}}});
        QVERIFY(graph);
        auto compiled = Model::compile(graph.value());
        QVERIFY(compiled);
        Model& model = compiled.value();
        initialWeights(model, 3);
        ParameterStore& p = model.params();
        const int bias = p.find("layer1.bias").value();
        p.at(bias).value[0] = -100.0f; // unit 0 never fires for inputs in [0, 1)
        p.at(bias).value[1] = 100.0f;  // unit 1 always does
        CpuBackend backend;
        const Tensor x = nc::test::randomTensor({16, 3}, 5, 0, 1);
        const Tensor y = nc::test::randomTensor({16, 2}, 6);
        auto health = layerHealth(model, backend, x, y);
        QVERIFY2(health, health ? "" : health.message().c_str());
        QCOMPARE(health.value().size(), std::size_t(2));
        const LayerHealth& first = health.value()[0];
        QCOMPARE(first.name, std::string("layer1"));
        QCOMPARE(first.units, std::int64_t(4));
        QVERIFY(first.deadShare && *first.deadShare >= 0.25 && *first.deadShare <= 0.75);
        QVERIFY(first.gradientNorm && *first.gradientNorm > 0);
        const Tensor& g = p.at(p.find("layer1.weight").value()).grad;
        for (int i = 0; i < 3; ++i)
            QCOMPARE(g[i], 0.0f);              // the dead unit's row
        QVERIFY(!health.value()[1].deadShare); // linear: no dead units to count
        QVERIFY(health.value()[1].gradientNorm && *health.value()[1].gradientNorm > 0);
    }

    // A recurrent layer reports |d loss / d x_t| for each step of its input: the same values
    // as the input gradient the executor computes, falling toward the start of the sequence
    // for an untrained LSTM that reads 28 rows and answers at the end.
    void gradientPerTimeStep() {
        Model model = nc::test::compileExample("rnn_rows_mnist");
        initialWeights(model, 2);
        auto data = loadDataset("synthetic:digits?rows&count=16", {28, 28});
        QVERIFY(data);
        CpuBackend backend;
        const Dataset::Tables rows = data.value().tables();
        auto health = layerHealth(model, backend, rows.samples, rows.targets);
        QVERIFY2(health, health ? "" : health.message().c_str());
        const LayerHealth& lstm = health.value().front();
        QCOMPARE(lstm.name, std::string("lstm"));
        QCOMPARE(lstm.stepGradientNorms.size(), std::size_t(28));
        QVERIFY(health.value().back().stepGradientNorms.empty()); // Dense: no steps

        Executor executor(model, backend);
        executor.setInputGradientWanted(true);
        RunContext context;
        context.forBackward = true;
        QVERIFY(executor.forward(rows.samples, rows.targets, Mode::Eval, context));
        QVERIFY(executor.backward());
        const Tensor& g = executor.inputGradient();
        for (int t : {0, 13, 27}) {
            double sum = 0;
            for (std::int64_t s = 0; s < 16; ++s)
                for (std::int64_t f = 0; f < 28; ++f)
                    sum += std::pow(double(g[(s * 28 + t) * 28 + f]), 2);
            QVERIFY2(std::abs(std::sqrt(sum) - lstm.stepGradientNorms[std::size_t(t)]) <=
                         1e-6 * std::sqrt(sum) + 1e-12,
                     qPrintable(QString::number(t)));
        }
        // The first rows are blank in these digits: measure where the image has ink.
        QVERIFY2(lstm.stepGradientNorms[6] < lstm.stepGradientNorms[27],
                 qPrintable(QString("%1 vs %2")
                                .arg(lstm.stepGradientNorms[6])
                                .arg(lstm.stepGradientNorms[27])));

        // An LSTM behind an Embedding gets the gradient of the embedded tokens.
        Model chars = nc::test::compileExample("char_lstm");
        initialWeights(chars, 2);
        auto text = loadDataset("synthetic:text?count=8", {64});
        const Dataset::Tables windows = text.value().tables();
        auto charHealth = layerHealth(chars, backend, windows.samples, windows.targets);
        QVERIFY2(charHealth, charHealth ? "" : charHealth.message().c_str());
        QCOMPARE(charHealth.value()[1].name, std::string("lstm"));
        QCOMPARE(charHealth.value()[1].stepGradientNorms.size(), std::size_t(64));
        QVERIFY(charHealth.value()[1].stepGradientNorms.front() > 0);
    }

    // An LSTM's history for one sample: the final hidden state is the layer's output, the
    // sigmoid gates lie in (0, 1), and every cell state is f c' + i g of its step's gates.
    void lstmHistoryOverTime() {
        Model model = nc::test::compileExample("rnn_rows_mnist");
        initialWeights(model, 4);
        auto data = loadDataset("synthetic:digits?rows&count=4", {28, 28});
        Tensor x({1, 28, 28});
        std::copy_n(data.value().tables().samples.data() + 2 * 28 * 28, 28 * 28, x.data());
        CpuBackend backend;
        const NodeId lstm = model.graph().findByName("lstm")->id;
        auto trace = traceRecurrent(model, backend, x, lstm);
        QVERIFY2(trace, trace ? "" : trace.message().c_str());
        QStringList names;
        for (const auto& [name, value] : trace.value().rows) {
            names << QString::fromStdString(name);
            QCOMPARE(value.dims(), Dims({28, 128}));
        }
        QCOMPARE(names, QStringList({"h", "c", "i", "f", "g", "o"}));
        auto out = probeEdges(model, backend, x, std::vector<EdgeRef>{{lstm, 0}});
        QVERIFY(out);
        const Tensor& h = trace.value().rows[0].second;
        for (int u = 0; u < 128; ++u)
            QCOMPARE(h[27 * 128 + u], out.value()[0][u]);
        const auto& rows = trace.value().rows;
        const Tensor &c = rows[1].second, &i = rows[2].second, &f = rows[3].second,
                     &g = rows[4].second, &o = rows[5].second;
        for (std::int64_t k = 0; k < i.size(); ++k) {
            QVERIFY(i[k] > 0 && i[k] < 1 && f[k] > 0 && f[k] < 1 && o[k] > 0 && o[k] < 1);
            QVERIFY(g[k] >= -1 && g[k] <= 1);
        }
        for (int u = 0; u < 128; ++u) {
            const std::int64_t at = 9 * 128 + u, before = 8 * 128 + u;
            QVERIFY(std::abs(c[at] - (f[at] * c[before] + i[at] * g[at])) < 1e-5f);
            QVERIFY(std::abs(h[at] - o[at] * std::tanh(c[at])) < 1e-5f);
        }
        const NodeId logits = model.graph().findByName("logits")->id;
        QVERIFY(!isTraceable(model, logits));
        QVERIFY(!traceRecurrent(model, backend, x, logits));
        QCOMPARE(describeTraceRow("f"), std::string("forget gate f"));
    }

    // Every layer of the mlp is timed forward and backward, in plan order; without a loss
    // only forward passes run; a cancelled timing says so.
    void layerTimingCoversEveryLayer() {
        Model model = nc::test::compileExample("mlp");
        initializeParameters(model.params(), 1);
        CpuBackend cpu;
        auto timing = timeLayers(model, cpu, 8, 0.0, [] { return false; });
        QVERIFY2(timing, timing ? "" : timing.message().c_str());
        const LayerTiming& t = timing.value();
        QCOMPARE(t.steps, 3);
        QVERIFY(t.backward);
        std::vector<const PlanStep*> layers;
        for (const PlanStep& step : model.steps())
            if (step.kind != OpKind::Input)
                layers.push_back(&step);
        QCOMPARE(t.layers.size(), layers.size());
        double sum = 0;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            QCOMPARE(t.layers[i].node, layers[i]->node);
            QCOMPARE(t.layers[i].name, layers[i]->name);
            QVERIFY(t.layers[i].forwardMs > 0);
            sum += t.layers[i].forwardMs + t.layers[i].backwardMs;
        }
        QVERIFY(sum > 0 && sum <= t.stepMs);
        QVERIFY(std::any_of(t.layers.begin(), t.layers.end(),
                            [](const LayerTime& l) { return l.backwardMs > 0; }));

        nc::graph::Graph headless = model.graph();
        QVERIFY(headless.removeNode(model.steps().back().node));
        Model forwardOnly = Model::compile(headless).value();
        initializeParameters(forwardOnly.params(), 1);
        auto forward = timeLayers(forwardOnly, cpu, 8, 0.0, [] { return false; });
        QVERIFY2(forward, forward ? "" : forward.message().c_str());
        QVERIFY(!forward.value().backward);
        for (const LayerTime& l : forward.value().layers)
            QCOMPARE(l.backwardMs, 0.0);

        auto cancelled = timeLayers(model, cpu, 8, 10.0, [] { return true; });
        QVERIFY(!cancelled);
        QCOMPARE(cancelled.message(), std::string("cancelled"));
        // Asked between ops, so a pass stops part of the way through.
        int asked = 0;
        auto midPass = timeLayers(model, cpu, 8, 10.0, [&] { return ++asked > 3; });
        QVERIFY(!midPass);
        QCOMPARE(midPass.message(), std::string("cancelled"));
        QCOMPARE(asked, 4);
    }

    void snapshotsFromOtherGraphsAreRefused() {
        Model cnn = nc::test::compileExample("mnist_cnn");
        Model mlp = nc::test::compileExample("mlp");
        SnapshotPtr w = initialWeights(cnn, 1);
        const Status s = applySnapshot(*w, mlp, "run X");
        QVERIFY(!s);
        QVERIFY(s.message().find("run X") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(ProbeTest)
#include "tst_probe.moc"
