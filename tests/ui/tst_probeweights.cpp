// Which weights the Probe dock uses: the initial ones, a run's checkpoint, a file from
// File > Load Weights, or the live run's, refreshed while it trains.
// Input.y and the losses see the sample's own target.

#include "probetesting.h"

#include "ui/graphdocument.h"
#include "ui/training/liveweights.h"
#include "ui/training/trainingcontroller.h"

#include "engine/checkpoint.h"
#include "engine/probe/probeweights.h"

#include "graph_model/graphjson.h"

#include <QDockWidget>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>

using namespace nc::ui;
using nc::test::probeSample;
using nc::test::selectWireOutOf;

namespace {

// A short run of the window's graph on synthetic digits: one thread, batches of 32.
TrainingJob digitsRun(MainWindow& window, const QString& runsRoot, int count, int epochs) {
    TrainingJob job;
    job.graph = window.document()->graph();
    job.settings = job.graph.training().value_or(nc::graph::TrainingSettings{});
    job.settings.data = "synthetic:digits?count=" + std::to_string(count);
    job.settings.epochs = epochs;
    job.settings.batch = 32;
    job.threads = 1;
    job.runsRoot = runsRoot;
    return job;
}

} // namespace

class ProbeWeightsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    // File > Export to ONNX writes the Probe dock's weights (here a checkpoint's), off the
    // GUI thread; a path that cannot be written is named and nothing is left behind.
    void exportOnnxWithTheProbeWeights() {
        QTemporaryDir dir, recovery;
        MainWindow window(recovery.path());
        window.openExample("mnist_cnn");
        auto model = nc::engine::Model::compile(window.document()->graph());
        QVERIFY(model);
        nc::engine::initialWeights(model.value(), 77);
        const QString checkpoint = dir.filePath("checkpoint.safetensors");
        QVERIFY(nc::engine::saveCheckpoint(checkpoint.toStdString(), model.value(), nullptr, {}));
        ProbePanel* probe = window.probe();
        probe->useCheckpoint(checkpoint, "seed 77");
        QTRY_VERIFY_WITH_TIMEOUT(probe->weights() == ProbePanel::Weights::Checkpoint, 10000);

        QSignalSpy exported(&window, &MainWindow::onnxExported);
        const QString path = dir.filePath("mnist_cnn.onnx");
        window.exportOnnx(path);
        QVERIFY(exported.wait(20000));
        QCOMPARE(exported.front().at(1).toString(), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        const nc::engine::Tensor& weight = model.value().params().all().front().value;
        QVERIFY(bytes.contains(QByteArray(reinterpret_cast<const char*>(weight.data()),
                                          int(weight.size() * sizeof(float)))));

        const QString unwritable = dir.filePath("missing/folder/x.onnx");
        window.exportOnnx(unwritable);
        QVERIFY(exported.wait(20000));
        QVERIFY2(exported.back().at(1).toString().contains("missing/folder"),
                 qPrintable(exported.back().at(1).toString()));
        QVERIFY(!QFile::exists(unwritable));
    }

    // File > Import ONNX: a PyTorch export becomes the graph, laid out, with its weights in
    // the Probe dock; a file that is not ONNX is named and the open graph stays.
    void importOnnxModel() {
        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        window.openExample("mlp");
        QSignalSpy imported(&window, &MainWindow::onnxImported);
        window.importOnnx(QStringLiteral(NC_SOURCE_DIR) + "/tests/engine/fixtures/onnx/junk.onnx");
        QVERIFY(imported.wait(20000));
        QVERIFY(!imported.back().at(1).toString().isEmpty());
        QVERIFY(window.document()->graph().findByName("fc1")); // the MLP stays
        // Strides of 0 once reached ONNX's shape inference and killed the window (SIGFPE).
        window.importOnnx(QStringLiteral(NC_SOURCE_DIR) +
                          "/tests/engine/fixtures/onnx/conv_stride0.onnx");
        QVERIFY(imported.wait(20000));
        const QString refusal = imported.back().at(1).toString();
        QVERIFY2(refusal.startsWith("conv_stride0.onnx: node") && refusal.contains("strides") &&
                     !refusal.contains('\n'),
                 qPrintable(refusal));
        QVERIFY(window.document()->graph().findByName("fc1"));

        window.importOnnx(QStringLiteral(NC_SOURCE_DIR) +
                          "/tests/engine/fixtures/onnx/small_cnn.onnx");
        QVERIFY(imported.wait(20000));
        QCOMPARE(imported.back().at(1).toString(), QString());
        const nc::graph::Graph& graph = window.document()->graph();
        QVERIFY(graph.findByName("conv1") && graph.findByName("fc"));
        QTRY_VERIFY_WITH_TIMEOUT(window.probe()->weights() == ProbePanel::Weights::Checkpoint,
                                 10000);
        QCOMPARE(window.probe()->currentWeights().label, QString("small_cnn.onnx"));
    }

    // "After training": a checkpoint's weights, read off the GUI thread.
    void checkpointWeights() {
        QTemporaryDir dir, recovery;
        MainWindow window(recovery.path());
        window.openExample("mnist_cnn");
        selectWireOutOf(window, "pool1");
        ProbePanel* probe = window.probe();
        probeSample(probe, 1);
        const nc::engine::Tensor initial = probe->lastResult()->edges.front().value;

        auto model = nc::engine::Model::compile(window.document()->graph());
        QVERIFY(model);
        nc::engine::initialWeights(model.value(), 77);
        const QString path = dir.filePath("checkpoint.safetensors");
        QVERIFY(nc::engine::saveCheckpoint(path.toStdString(), model.value(), nullptr, {}));
        probe->useCheckpoint(path, "seed 77");
        QTRY_VERIFY_WITH_TIMEOUT(probe->weights() == ProbePanel::Weights::Checkpoint, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!probe->runner()->busy() && probe->lastResult() &&
                                     probe->lastResult()->edges.front().value.size() ==
                                         initial.size() &&
                                     std::memcmp(probe->lastResult()->edges.front().value.data(),
                                                 initial.data(), sizeof(float) * 16) != 0,
                                 10000);
        // A file that is not a checkpoint: a message, and the weights in use stay.
        QFile junk(dir.filePath("junk.safetensors"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a checkpoint");
        junk.close();
        probe->useCheckpoint(junk.fileName(), "junk");
        QTRY_VERIFY_WITH_TIMEOUT(probe->statusText().contains("junk.safetensors"), 10000);
        QCOMPARE(probe->weights(), ProbePanel::Weights::Checkpoint);
        // A bad image file: the reason shows, the panel keeps working.
        QVERIFY(!probe->inputs()->openImage(dir.filePath("missing.png")));
        window.document()->undoStack()->setClean();
    }

    // File > Load Weights: a file that fits the graph goes to the Probe dock; one from another
    // graph is refused naming the tensor and both shapes, and the weights in use stay.
    void loadWeightsFromFile() {
        QTemporaryDir dir, recovery;
        MainWindow window(recovery.path());
        window.openExample("mnist_cnn");
        ProbePanel* probe = window.probe();
        QSignalSpy loaded(&window, &MainWindow::weightsLoaded);

        // A checkpoint of the graph's initial weights under this seed.
        auto saveWeights = [&dir](const nc::graph::Graph& graph, std::uint64_t seed,
                                  const QString& name) {
            auto model = nc::engine::Model::compile(graph);
            nc::engine::initialWeights(model.value(), seed);
            const QString path = dir.filePath(name);
            nc::core::require(
                nc::engine::saveCheckpoint(path.toStdString(), model.value(), nullptr, {}));
            return path;
        };
        const QString wrong = saveWeights(
            nc::graph::loadGraphFile(NC_SOURCE_DIR "/resources/examples/mlp.json").value(), 3,
            "mlp.safetensors");
        window.loadWeights(wrong);
        QVERIFY(loaded.wait(10000));
        const QString problem = loaded.takeFirst().at(1).toString();
        QVERIFY2(problem.contains("mlp.safetensors has no tensor \"conv1.weight\""),
                 qPrintable(problem));
        QCOMPARE(probe->weights(), ProbePanel::Weights::Initial);

        window.loadWeights(saveWeights(window.document()->graph(), 5, "cnn.safetensors"));
        QVERIFY(loaded.wait(10000));
        QVERIFY(loaded.takeFirst().at(1).toString().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(probe->weights() == ProbePanel::Weights::Checkpoint, 10000);
        window.document()->undoStack()->setClean();
    }

    // During training: the Live weights refresh the probe from the run's snapshots.
    // Live weights come every N steps when asked so, never faster than a screen shows, and
    // about twelve times a second by default, whatever the step rate.
    void liveRefreshPolicy() {
        LiveWeights live;
        QVERIFY(!live.due()); // nobody watches
        live.setWanted(true);
        live.setEverySteps(3);
        QVERIFY(!live.due());
        QVERIFY(!live.due());
        QVERIFY(live.due());                                // the third step
        QVERIFY(!live.due() && !live.due() && !live.due()); // three more, but within 30 ms
        QTest::qSleep(int(LiveWeights::kMinInterval.count()) + 5);
        QVERIFY(live.due());
        live.setEverySteps(0);
        QTest::qSleep(int(LiveWeights::kAutoInterval.count()) + 5);
        QVERIFY(live.due());
        QVERIFY(!live.due()); // the next step comes too soon
        QTest::qSleep(int(LiveWeights::kAutoInterval.count()) + 5);
        QVERIFY(live.due());

        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        auto* every = window.probe()->findChild<QSpinBox*>("liveEverySteps");
        QVERIFY(every);
        every->setValue(5);
        QCOMPARE(window.training()->liveWeights().everySteps(), 5);
        QCOMPARE(QSettings().value("probe/liveEverySteps").toInt(), 5);
        window.probe()->setLiveEverySteps(0);
        QCOMPARE(window.training()->liveWeights().everySteps(), 0);
    }

    // The runner keeps the compiled model while the graph stays: new weights are copied in,
    // and the values are those of a probe compiled from scratch.
    void cachedModelGivesFreshValues() {
        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        window.openExample("mnist_cnn");
        const nc::graph::Graph& graph = window.document()->graph();
        ProbeRequest request;
        request.graph = graph;
        request.seed = 3;
        request.x = nc::engine::Tensor({1, 1, 28, 28});
        for (std::int64_t i = 0; i < request.x.size(); ++i)
            request.x[i] = float(i % 29) / 29.0f;
        request.edges = {{graph.findByName("conv2")->id, 0}, {graph.findByName("logits")->id, 0}};
        auto model = nc::engine::Model::compile(graph);
        QVERIFY(model);
        auto otherWeights = nc::engine::initialWeights(model.value(), 11);
        auto same = [](const ProbeResult& a, const ProbeResult& b) {
            if (!a.error.isEmpty() || a.edges.size() != b.edges.size())
                return false;
            for (std::size_t i = 0; i < a.edges.size(); ++i)
                if (a.edges[i].value.dims() != b.edges[i].value.dims() ||
                    !std::equal(a.edges[i].value.data(),
                                a.edges[i].value.data() + a.edges[i].value.size(),
                                b.edges[i].value.data()))
                    return false;
            return true;
        };
        ProbeModelCache cache;
        QVERIFY(same(runProbe(request, &cache), runProbe(request)));
        request.weights = otherWeights;
        QVERIFY(same(runProbe(request, &cache), runProbe(request)));
        request.weights = nullptr;
        request.seed = 4;
        QVERIFY(same(runProbe(request, &cache), runProbe(request)));
        QCOMPARE(cache.compiles, 1);
        QVERIFY(runProbe(request, &cache).edges.back().logits);
        QVERIFY(request.graph.setParam(request.graph.findByName("fc1")->id, "units",
                                       nc::graph::ParamValue(std::int64_t(64))));
        QVERIFY(same(runProbe(request, &cache), runProbe(request)));
        QCOMPARE(cache.compiles, 2);
    }

    // Input.y and the losses see the sample's target when the input has one (a data set's
    // sample); a drawing has none, and then they are not made up from class 0.
    void targetsComeFromTheSample() {
        GraphDocument doc;
        QString error;
        QVERIFY2(doc.load(QStringLiteral(NC_SOURCE_DIR) + "/resources/examples/mlp.json", &error),
                 qPrintable(error));
        const nc::graph::Graph& graph = doc.graph();
        const nc::engine::EdgeRef labels{graph.findByName("input")->id, 1};
        const nc::engine::EdgeRef logits{graph.findByName("logits")->id, 0};
        const nc::engine::EdgeRef loss{graph.findByName("loss")->id, 0};
        ProbeRequest request;
        request.graph = graph;
        request.x = nc::engine::Tensor({1, 1, 28, 28});
        for (std::int64_t i = 0; i < request.x.size(); ++i)
            request.x[i] = float(i % 31) / 31.0f;
        nc::engine::Tensor y({1, 1});
        y[0] = 7;
        request.y = y;
        request.edges = {labels, logits, loss};
        const ProbeResult withTarget = runProbe(request);
        QVERIFY2(withTarget.error.isEmpty(), qPrintable(withTarget.error));
        QCOMPARE(withTarget.edges.size(), std::size_t(3));
        QCOMPARE(withTarget.edges[0].value[0], 7.0f);
        const nc::engine::Tensor& z = withTarget.edges[1].value;
        double top = z[0], sum = 0;
        for (std::int64_t i = 0; i < z.size(); ++i)
            top = std::max(top, double(z[i]));
        for (std::int64_t i = 0; i < z.size(); ++i)
            sum += std::exp(double(z[i]) - top);
        const double expected = -(double(z[7]) - top - std::log(sum));
        QVERIFY2(
            std::abs(double(withTarget.edges[2].value[0]) - expected) < 1e-4,
            qPrintable(
                QString("loss %1, expected %2").arg(withTarget.edges[2].value[0]).arg(expected)));

        request.y.reset(); // a drawing: the loss is left out, the logits still come
        request.edges = {logits, loss};
        const ProbeResult pinnedLoss = runProbe(request);
        QVERIFY2(pinnedLoss.error.isEmpty(), qPrintable(pinnedLoss.error));
        QCOMPARE(pinnedLoss.edges.size(), std::size_t(1));
        QVERIFY(pinnedLoss.edges[0].edge == logits);
        for (const nc::engine::EdgeRef& shown : {loss, labels}) {
            request.edges = {shown};
            const ProbeResult none = runProbe(request);
            QVERIFY2(none.error.contains("no target for this sample"), qPrintable(none.error));
        }
    }

    // Weights belong to the graph they were made for: after training the MLP, opening the
    // autoencoder probes and exports the autoencoder with its own initial weights, not the
    // MLP's (once: "has no tensor \"code.weight\"").
    void anotherGraphLeavesThePreviousWeightsBehind() {
        QTemporaryDir runs, recovery, dir;
        MainWindow window(recovery.path());
        window.openExample("mlp");
        ProbePanel* probe = window.probe();
        QVERIFY(window.training()->start(digitsRun(window, runs.path(), 600, 1)));
        QTRY_VERIFY_WITH_TIMEOUT(!window.training()->isActive(), 60000);
        QVERIFY(window.training()->liveWeights().latest());
        QCOMPARE(probe->weights(), ProbePanel::Weights::Live);

        window.openExample("conv_autoencoder");
        QCOMPARE(probe->weights(), ProbePanel::Weights::Initial);
        QVERIFY(!probe->currentWeights().weights);
        QSignalSpy exported(&window, &MainWindow::onnxExported);
        const QString path = dir.filePath("autoencoder.onnx");
        window.exportOnnx(path);
        QVERIFY(exported.wait(20000));
        QCOMPARE(exported.front().at(1).toString(), QString());
        QVERIFY(QFileInfo(path).size() > 0);
        selectWireOutOf(window, "input");
        probeSample(probe, 0);
        QVERIFY2(!probe->statusText().contains("has no tensor"), qPrintable(probe->statusText()));

        // A checkpoint loaded for the autoencoder is forgotten when the MLP opens again.
        auto model = nc::engine::Model::compile(window.document()->graph());
        QVERIFY(model);
        nc::engine::initialWeights(model.value(), 5);
        const QString checkpoint = dir.filePath("autoencoder.safetensors");
        QVERIFY(nc::engine::saveCheckpoint(checkpoint.toStdString(), model.value(), nullptr, {}));
        probe->useCheckpoint(checkpoint, "seed 5");
        QTRY_VERIFY_WITH_TIMEOUT(probe->weights() == ProbePanel::Weights::Checkpoint, 10000);
        window.openExample("mlp");
        QCOMPARE(probe->weights(), ProbePanel::Weights::Initial);
        const QString mlp = dir.filePath("mlp.onnx");
        window.exportOnnx(mlp);
        QVERIFY(exported.wait(20000));
        QCOMPARE(exported.back().at(1).toString(), QString());
        window.document()->undoStack()->setClean();
    }

    void liveRunIsProbed() {
        QTemporaryDir runs, recovery;
        MainWindow window(recovery.path());
        window.openExample("mlp");
        ProbePanel* probe = window.probe();
        window.findChild<QDockWidget*>("probe")->show();
        window.show();
        selectWireOutOf(window, "input");
        probeSample(probe, 0);
        QVERIFY(window.training()->start(digitsRun(window, runs.path(), 3000, 2)));
        QCOMPARE(probe->weights(), ProbePanel::Weights::Live);
        const int before = probe->probesDone();
        QTRY_VERIFY_WITH_TIMEOUT(
            probe->probesDone() >= before + 3 || !window.training()->isActive(), 60000);
        QVERIFY(window.training()->liveWeights().latest());
        QVERIFY(probe->probesDone() >= before + 1);
        window.training()->stopAndWait(-1);
        window.document()->undoStack()->setClean();
    }
};

QTEST_MAIN(ProbeWeightsTest)
#include "tst_probeweights.moc"
