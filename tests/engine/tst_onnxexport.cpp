// ONNX export: every example exports, passes ONNX's checker and strict shape inference (in
// the exporter), and OpenCV's DNN module running the exported file gives NetCanvas's own
// outputs within 1e-4; Python's onnx.checker (full_check) agrees where python3-onnx is
// installed. Layers with training-only behaviour are noted.

#include "exporttesting.h"

#include "engine/backendlist.h"
#include "engine/executor.h"
#include "engine/export/onnxexport.h"
#include "engine/export/onnximport.h"
#include "engine/model.h"
#include "engine/observer.h"
#include "engine/parameterstore.h"
#include "engine/probe/edgeprobe.h"
#include "engine/random.h"

#include "graph_model/graphjson.h"

#include <opencv2/dnn.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

using namespace nc::engine;
using nc::test::addNameRows;
using nc::test::exampleWithInitialWeights;
using nc::test::ValueTap;

namespace {

const char* const kExamples[] = {
    "mlp",          "mnist_cnn",      "modified_cnn", "conv_autoencoder",
    "catsdogs_cnn", "rnn_rows_mnist", "gru_adding",   "char_lstm"};

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
    void examplesMatchOpenCv_data() { addNameRows("example", kExamples); }

    void examplesMatchOpenCv() {
        QFETCH(QString, example);
        Model model = exampleWithInitialWeights(example);
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

    // export -> import: the same layers (up to names and layout) and the same outputs.
    void roundTrip_data() { examplesMatchOpenCv_data(); }

    void roundTrip() {
        QFETCH(QString, example);
        Model model = exampleWithInitialWeights(example);
        auto exported = exportOnnx(model, example.toStdString());
        QVERIFY(exported);
        auto imported = importOnnx(exported.value().bytes, example.toStdString() + ".onnx");
        QVERIFY2(imported, imported.message().c_str());
        auto back = Model::compile(imported.value().graph);
        QVERIFY2(back, back.message().c_str());
        for (const auto& [name, tensor] : imported.value().weights) {
            auto index = back.value().params().find(name);
            QVERIFY2(index, name.c_str());
            Tensor& into = back.value().params().at(*index).value;
            QCOMPARE(into.dims(), tensor.dims());
            into = tensor;
        }
        // Layer kinds in order; flattening to a vector is left out, since a Dense layer
        // flattens its input itself and ONNX's Gemm needs it spelled out.
        auto layers = [](const Model& m) {
            QStringList types;
            for (const PlanStep& step : m.steps())
                if (!isLoss(step.kind) &&
                    !(step.kind == OpKind::Reshape &&
                      m.values()[std::size_t(step.outputs[0])].perSample.size() == 1))
                    types << QString::number(int(step.kind));
            return types;
        };
        QCOMPARE(layers(back.value()).join(' '), layers(model).join(' '));
        QCOMPARE(back.value().params().size(), model.params().size()); // ties kept

        const Tensor x = sampleInput(model);
        auto cpu = createBackend("cpu");
        QVERIFY(cpu);
        const int output = lossInputs(model).front();
        ValueTap before(model, {output});
        Executor original(model, *cpu.value());
        QVERIFY(
            original.forward(x, zeroTargets(model, x.dim(0)), Mode::Eval, RunContext{}, &before));
        // The imported graph's output: the value nothing reads.
        int last = -1;
        for (const PlanStep& step : back.value().steps())
            if (step.kind != OpKind::Input)
                last = step.outputs[0];
        ValueTap after(back.value(), {last});
        Executor imported2(back.value(), *cpu.value());
        QVERIFY(imported2.forward(x, zeroTargets(back.value(), x.dim(0)), Mode::Eval, RunContext{},
                                  &after));
        const Tensor& a = before.kept.begin()->second;
        const Tensor& b = after.kept.begin()->second;
        QCOMPARE(a.size(), b.size());
        for (std::int64_t i = 0; i < a.size(); ++i)
            QVERIFY2(std::abs(a[i] - b[i]) <= 1e-5f * std::max(1.0f, std::abs(a[i])),
                     qPrintable(QString("value %1: %2 vs %3").arg(i).arg(a[i]).arg(b[i])));
    }

    // What OpenCV 4.6 cannot run, a NumPy evaluator written from the ONNX specification
    // (onnx_reference.py) runs: NetCanvas's outputs within 1e-5.
    void numpyReferenceRunsRecurrentExports_data() {
        addNameRows("example", std::initializer_list<const char*>{"rnn_rows_mnist", "gru_adding",
                                                                  "char_lstm"});
    }

    void numpyReferenceRunsRecurrentExports() {
        QFETCH(QString, example);
        const QString python = QStandardPaths::findExecutable("python3", {"/usr/bin"});
        if (python.isEmpty() || QProcess::execute(python, {"-c", "import onnx, numpy"}) != 0)
            QSKIP("python3-onnx and python3-numpy are not installed");
        Model model = exampleWithInitialWeights(example);
        auto exported = exportOnnx(model, example.toStdString());
        QVERIFY(exported);
        const Tensor x = sampleInput(model);
        QTemporaryDir dir;
        auto write = [](const QString& path, const char* data, qint64 size) {
            QFile f(path);
            return f.open(QIODevice::WriteOnly) && f.write(data, size) == size;
        };
        QVERIFY(write(dir.filePath("m.onnx"), exported.value().bytes.data(),
                      qint64(exported.value().bytes.size())));
        QVERIFY(
            write(dir.filePath("x.bin"), reinterpret_cast<const char*>(x.data()), x.size() * 4));
        QStringList shape;
        for (std::int64_t d : x.dims())
            shape << QString::number(d);
        QProcess run;
        run.start(python, {QStringLiteral(NC_SOURCE_DIR) + "/tests/engine/onnx_reference.py",
                           dir.filePath("m.onnx"), dir.filePath("x.bin"), shape.join(','),
                           dir.filePath("y.bin")});
        QVERIFY(run.waitForFinished(120000));
        QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
        QFile y(dir.filePath("y.bin"));
        QVERIFY(y.open(QIODevice::ReadOnly));
        const QByteArray theirs = y.readAll();

        auto cpu = createBackend("cpu");
        QVERIFY(cpu);
        ValueTap tap(model, lossInputs(model));
        Executor executor(model, *cpu.value());
        QVERIFY(executor.forward(x, zeroTargets(model, x.dim(0)), Mode::Eval, RunContext{}, &tap));
        const Tensor& ours = tap.kept.begin()->second;
        QCOMPARE(qint64(theirs.size()), qint64(ours.size() * 4));
        const float* values = reinterpret_cast<const float*>(theirs.constData());
        for (std::int64_t i = 0; i < ours.size(); ++i)
            QVERIFY2(std::abs(ours[i] - values[i]) <= 1e-5f * std::max(1.0f, std::abs(ours[i])),
                     qPrintable(
                         QString("value %1: %2, reference %3").arg(i).arg(ours[i]).arg(values[i])));
    }

    // Models exported by PyTorch (tests/engine/fixtures/onnx, made by make_onnx_fixtures.py
    // with Debian's PyTorch 1.13): imported, they give PyTorch's outputs within 1e-5.
    void importsPytorchModels_data() {
        addNameRows("fixture",
                    std::initializer_list<const char*>{
                        "small_cnn", "autoencoder", "lstm_classifier", "bigru_steps",
                        "stacked_bilstm_13", "stacked_bilstm_17", "stacked_gru",
                        "stacked_birnn_steps", "decoder", "lstm_last_step"});
    }

    void importsPytorchModels() {
        QFETCH(QString, fixture);
        const QString base =
            QStringLiteral(NC_SOURCE_DIR) + "/tests/engine/fixtures/onnx/" + fixture;
        auto read = [](const QString& path) {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        };
        const QByteArray onnx = read(base + ".onnx");
        QVERIFY(!onnx.isEmpty());
        auto imported = importOnnx(std::string_view(onnx.constData(), std::size_t(onnx.size())),
                                   fixture.toStdString());
        QVERIFY2(imported, imported.message().c_str());
        auto model = Model::compile(imported.value().graph);
        QVERIFY2(model, model.message().c_str());
        for (const auto& [name, tensor] : imported.value().weights) {
            auto index = model.value().params().find(name);
            QVERIFY2(index, name.c_str());
            QCOMPARE(model.value().params().at(*index).value.dims(), tensor.dims());
            model.value().params().at(*index).value = tensor;
        }
        const QJsonObject shapes = QJsonDocument::fromJson(read(base + ".json")).object();
        Dims inputDims;
        for (const QJsonValue& d : shapes["input"].toArray())
            inputDims.push_back(d.toInt());
        Tensor x(inputDims);
        const QByteArray input = read(base + ".input.bin"), output = read(base + ".output.bin");
        QCOMPARE(qint64(input.size()), qint64(x.size() * 4));
        std::memcpy(x.data(), input.constData(), std::size_t(input.size()));
        int last = -1;
        for (const PlanStep& step : model.value().steps())
            if (step.kind != OpKind::Input)
                last = step.outputs[0];
        ValueTap tap(model.value(), {last});
        auto cpu = createBackend("cpu");
        QVERIFY(cpu);
        Executor executor(model.value(), *cpu.value());
        QVERIFY(executor.forward(x, zeroTargets(model.value(), x.dim(0)), Mode::Eval, RunContext{},
                                 &tap));
        const Tensor& ours = tap.kept.begin()->second;
        QCOMPARE(qint64(output.size()), qint64(ours.size() * 4));
        const float* theirs = reinterpret_cast<const float*>(output.constData());
        for (std::int64_t i = 0; i < ours.size(); ++i)
            QVERIFY2(
                std::abs(ours[i] - theirs[i]) <= 1e-5f * std::max(1.0f, std::abs(theirs[i])),
                qPrintable(QString("value %1: %2, PyTorch %3").arg(i).arg(ours[i]).arg(theirs[i])));
    }

    // Unsupported operators are refused by name and node; a file that is not ONNX is named.
    void refusesWhatItCannotImport() {
        auto garbage = importOnnx("not a model", "junk.onnx");
        QVERIFY(!garbage);
        QVERIFY2(QString::fromStdString(garbage.message()).contains("junk.onnx: not an ONNX model"),
                 garbage.message().c_str());
        Model model = exampleWithInitialWeights("mlp");
        auto exported = exportOnnx(model, "mlp");
        QVERIFY(exported);
        std::string bytes = exported.value().bytes;
        // Every "Gemm" (op types and node names) renamed to an operator NetCanvas has no
        // layer for, of the same length.
        for (std::size_t at = bytes.find("Gemm"); at != std::string::npos;
             at = bytes.find("Gemm", at))
            bytes.replace(at, 4, "Gelu");
        auto refused = importOnnx(bytes, "mlp.onnx");
        QVERIFY(!refused);
        QVERIFY2(
            QString::fromStdString(refused.message()).contains("(Gelu): NetCanvas has no layer"),
            refused.message().c_str());
    }

    // Damaged files: every import either works or says why; none crashes.
    void survivesDamagedFiles() {
        QFile file(QStringLiteral(NC_SOURCE_DIR) +
                   "/tests/engine/fixtures/onnx/lstm_classifier.onnx");
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray original = file.readAll();
        int refused = 0;
        for (std::uint64_t round = 0; round < 400; ++round) {
            std::string bytes(original.constData(), std::size_t(original.size()));
            for (std::uint64_t k = 0; k < 1 + round % 4; ++k) {
                const auto at = std::size_t(uniform01(3, round, k) * float(bytes.size() - 1));
                bytes[at] = char(std::uint8_t(uniform01(4, round, k) * 256.0f));
            }
            if (round % 50 == 0)
                bytes.resize(bytes.size() * (round % 3 + 1) / 4);
            auto imported = importOnnx(bytes, "damaged.onnx");
            refused += !imported;
            if (!imported)
                QVERIFY(QString::fromStdString(imported.message()).startsWith("damaged.onnx: "));
        }
        QVERIFY(refused > 0);
    }

    void trainingOnlyLayersAreNoted() {
        Model model = exampleWithInitialWeights("catsdogs_cnn"); // has Dropout
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
        Model model = exampleWithInitialWeights("conv_autoencoder");
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
            Model model = exampleWithInitialWeights(name);
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
