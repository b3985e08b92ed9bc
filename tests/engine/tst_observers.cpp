// What runs versus what is watched: observers see activations and gradients in training
// without changing a single bit of the run; subgraph execution runs only an edge's
// ancestors; a backend without some ops still runs every graph through the CPU fallback.

#include "enginetesting.h"
#include "fakedevicebackend.h"

#include "engine/data/dataspec.h"
#include "engine/threading.h"

#include <QtTest>

#include <map>

using namespace nc::graph;
using namespace nc::engine;
using namespace nc::test;

namespace {

// Wants everything; records how many tensors of each kind it saw and their shapes.
class WatchEverything : public TensorObserver {
public:
    bool wants(NodeId, PortIndex) override { return true; }
    void observe(NodeId node, PortIndex port, const Tensor& value) override {
        ++activations;
        lastShape[{node, port}] = value.dims();
        sum += value.size() ? double(value[0]) : 0.0; // reads the data, as a probe would
    }
    bool wantsGradient(NodeId, PortIndex) override { return true; }
    void observeGradient(NodeId, PortIndex, const Tensor& g) override {
        ++gradients;
        sum += g.size() ? double(g[0]) : 0.0;
    }
    bool wantsParameterGradient(const std::string&) override { return true; }
    void observeParameterGradient(const std::string& name, const Tensor& g) override {
        parameterGradients[name] = g;
    }

    int activations = 0, gradients = 0;
    double sum = 0;
    std::map<std::pair<NodeId, PortIndex>, Dims> lastShape;
    std::map<std::string, Tensor> parameterGradients;
};

struct RunResult {
    std::vector<double> losses;
    std::vector<float> params;
};

RunResult train(const char* example, Backend& backend, TrainWatch watch = {}) {
    auto data = loadDataset("synthetic:digits?count=320", {1, 28, 28});
    Model model = compileExample(example);
    initializeParameters(model.params(), 11);
    TrainConfig config = quickConfig(2);
    config.metricsEvery = 1; // a loss per step on every backend, to compare step by step
    Trainer trainer(model, backend, config);
    trainer.setWatch(watch);
    RunResult result;
    trainer.onStep = [&](const StepReport& r) { result.losses.push_back(r.loss); };
    require(trainer.fit(data.value(), nullptr));
    for (Parameter& p : model.params().all())
        p.value = toHost(backend, p.value).value();
    result.params = flatParams(model);
    return result;
}

// Wants one value only.
class EdgeProbe : public TensorObserver {
public:
    EdgeProbe(NodeId node, PortIndex port) : m_node(node), m_port(port) {}
    bool wants(NodeId node, PortIndex port) override { return node == m_node && port == m_port; }
    void observe(NodeId, PortIndex, const Tensor& value) override { seen = value; }
    Tensor seen;

private:
    NodeId m_node;
    PortIndex m_port;
};

} // namespace

class ObserversTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setThreadCount(2); }

    void watchingTrainingChangesNothing() {
        CpuBackend cpu;
        const RunResult plain = train("mnist_cnn", cpu); // dropout: masks must not move
        WatchEverything watcher;
        const RunResult watched = train("mnist_cnn", cpu, {&watcher, 1});
        QVERIFY(!plain.losses.empty());
        QVERIFY(plain.losses == watched.losses);
        QVERIFY(plain.params == watched.params);
        const int steps = int(plain.losses.size());
        QCOMPARE(watcher.activations, steps * 11); // 10 nodes, Input has two outputs
        QCOMPARE(watcher.gradients, steps * 11);
        QCOMPARE(watcher.parameterGradients.size(), std::size_t(8));
        QCOMPARE(watcher.parameterGradients["conv1.weight"].dims(), Dims({32, 1, 5, 5}));
    }

    void watchingEveryNthStep() {
        CpuBackend cpu;
        WatchEverything watcher;
        const RunResult watched = train("mlp", cpu, {&watcher, 3});
        const int steps = int(watched.losses.size()); // 5 per epoch, 2 epochs
        QCOMPARE(steps, 10);
        const int watchedSteps = 2 * 2; // steps 0 and 3 of each 5-step epoch
        QCOMPARE(watcher.activations, watchedSteps * 9); // 8 nodes, Input has two outputs
    }

    void gradientTapMatchesBackwardAndTheFormula() {
        auto graph = buildChain({6}, {{"Dense", {{"units", 4}, {"activation", "tanh"}}}}, "MSE");
        QVERIFY(graph.isOk());
        auto compiled = Model::compile(graph.value());
        QVERIFY(compiled.isOk());
        Model& model = compiled.value();
        initializeParameters(model.params(), 3);
        CpuBackend cpu;
        Executor run(model, cpu);
        run.setInputGradientWanted(true);
        const Tensor x = randomTensor({5, 6}, 1), y = randomTensor({5, 4}, 2);
        WatchEverything watcher;
        QVERIFY(run.forward(x, y, Mode::Train, {1, 0, true}, &watcher));
        model.params().zeroGrads();

        // The gradient on the edge into the MSE loss is 2 (prediction - target) / count.
        class PredictionGradient : public WatchEverything {
        public:
            NodeId dense = kNoNode;
            Tensor gradient, inputGradient;
            void observeGradient(NodeId node, PortIndex port, const Tensor& g) override {
                if (node == dense)
                    gradient = g;
                else if (port == 0)
                    inputGradient = g;
            }
        } tap;
        tap.dense = model.graph().findByName("layer1")->id;
        QVERIFY(run.backward(&tap));
        const Tensor& prediction = run.value(tap.dense, 0);
        QCOMPARE(tap.gradient.dims(), Dims({5, 4}));
        for (std::int64_t i = 0; i < prediction.size(); ++i)
            QVERIFY(qAbs(tap.gradient[i] - 2.0f * (prediction[i] - y[i]) / 20.0f) < 1e-6f);
        QCOMPARE(tap.inputGradient.size(), run.inputGradient().size());
        for (std::int64_t i = 0; i < x.size(); ++i)
            QCOMPARE(tap.inputGradient[i], run.inputGradient()[i]);
        const Parameter& weight = model.params().at(*model.params().find("layer1.weight"));
        const Tensor& tapped = tap.parameterGradients.at("layer1.weight");
        for (std::int64_t i = 0; i < weight.grad.size(); ++i)
            QCOMPARE(tapped[i], weight.grad[i]);
    }

    void subgraphRunsOnlyAncestors() {
        Model model = compileExample("modified_cnn");
        initializeParameters(model.params(), 1);
        FakeDeviceBackend device;
        QVERIFY(moveParametersTo(device, model.params()));
        Executor run(model, device);
        const Tensor x = randomTensor({2, 1, 28, 28}, 4, 0.0f, 1.0f);
        const Tensor y(Dims{2, 1});
        const NodeId pool1 = model.graph().findByName("pool1")->id;
        EdgeProbe probe(pool1, 0);
        RunContext context;
        context.subgraph = true;
        QVERIFY(run.forward(x, y, Mode::Eval, context, &probe));
        QCOMPARE(device.forwardCalls, 2); // conv1, pool1: nothing else
        QCOMPARE(probe.seen.dims(), Dims({2, 32, 12, 12}));
        QVERIFY(probe.seen.onHost());
        QVERIFY(!run.backward()); // a partial run cannot be followed by backward
    }

    void fallbackThroughTheHostMatchesTheCpu_data() {
        QTest::addColumn<QString>("example");
        QTest::newRow("modified_cnn") << "modified_cnn"; // concat, dropout on the CPU
        QTest::newRow("conv_autoencoder") << "conv_autoencoder"; // tied deconv on the CPU
    }

    void fallbackThroughTheHostMatchesTheCpu() {
        QFETCH(QString, example);
        const QByteArray name = example.toUtf8();
        CpuBackend cpu;
        const RunResult reference = train(name.constData(), cpu);
        FakeDeviceBackend device(
            {OpKind::Concat, OpKind::Dropout, OpKind::Deconv2D, OpKind::Upscale2D});
        const RunResult staged = train(name.constData(), device);
        QVERIFY(device.forwardCalls > 0);
        QVERIFY(reference.losses == staged.losses);
        QVERIFY(reference.params == staged.params);
    }
};

QTEST_APPLESS_MAIN(ObserversTest)
#include "tst_observers.moc"
