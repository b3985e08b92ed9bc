// Checkpoints: a round trip keeps every tensor and the metadata; damaged or mismatched files
// give a message naming the file and the tensor, and leave the model as it was.

#include "enginetesting.h"

#include "engine/checkpoint.h"
#include "engine/cpu/cpubackend.h"
#include "engine/safetensors.h"

#include "graph_model/graphjson.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace nc::graph;
using namespace nc::engine;
using nc::test::compileExample;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class CheckpointsTest : public QObject {
    Q_OBJECT

private slots:
    void roundTrip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("c.safetensors").toStdString();
        Model model = compileExample("conv_autoencoder");
        initializeParameters(model.params(), 4);
        auto optimizer = Optimizer::create({"adam", 0.9, 0.0}, model.params()).value();
        optimizer.stateTensors()[0].second->fill(0.25f);
        optimizer.setSteps(12);
        QVERIFY(saveCheckpoint(path, model, &optimizer, {{"epoch", "3"}}));

        auto read = readCheckpoint(path);
        QVERIFY2(read.isOk(), read.message().c_str());
        QCOMPARE(read.value().metadata.at("epoch"), std::string("3"));
        QCOMPARE(read.value().metadata.at("format"), std::string("netcanvas-checkpoint"));
        QVERIFY(graphFromJson(read.value().metadata.at("graph"), "metadata").isOk());
        // PyTorch state_dict names; the tied deconvolutions own only their biases.
        QVERIFY(read.value().tensors.count("conv2.weight") &&
                read.value().tensors.count("deconv2.bias"));
        QVERIFY(!read.value().tensors.count("deconv2.weight"));

        Model other = compileExample("conv_autoencoder");
        auto otherOptimizer = Optimizer::create({"adam", 0.9, 0.0}, other.params()).value();
        QVERIFY(applyWeights(read.value(), other));
        QVERIFY(applyOptimizerState(read.value(), otherOptimizer));
        QCOMPARE(otherOptimizer.steps(), std::int64_t(12));
        QCOMPARE((*otherOptimizer.stateTensors()[0].second)[5], 0.25f);
        for (std::size_t i = 0; i < model.params().size(); ++i) {
            const Tensor& a = model.params().at(int(i)).value;
            const Tensor& b = other.params().at(int(i)).value;
            QVERIFY(std::equal(a.data(), a.data() + a.size(), b.data()));
        }
    }

    void damagedFiles_data() {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("io"); // an I/O error (exit 2), not a damaged file (exit 1)
        // clang-format off
        QTest::newRow("empty") << "empty" << "not a safetensors file (shorter than its 8-byte header length)" << false;
        QTest::newRow("truncated data") << "truncate" << "does not fit its shape" << false;
        QTest::newRow("absurd header length") << "header" << "damaged safetensors file (a header of" << false;
        QTest::newRow("garbage header") << "garbage" << "damaged safetensors header:1:2: syntax error" << false;
        QTest::newRow("integer tensor") << "dtype" << "has dtype \"I32\"; F32, F64, F16 and BF16 are read (as float32)" << false;
        QTest::newRow("missing file") << "missing" << "cannot open" << true;
        QTest::newRow("a folder") << "folder" << "it is a folder, not a file" << true;
        // A sibling after a deep value made nlohmann copy it recursively: a stack overflow.
        QTest::newRow("deep nesting, then a sibling") << "deep" << "damaged safetensors header:1:139: nested deeper than 128" << false;
        QTest::newRow("duplicate tensor") << "duplicate" << "damaged safetensors header: duplicate key \"t\"" << false;
        QTest::newRow("shape overflowing 64 bits") << "overflow" << "tensor \"t\" has a shape [2147483648,2147483648,4] of more than 16 GiB" << false;
        QTest::newRow("shape without an array") << "scalar shape" << "tensor \"t\" has a bad shape 5" << false;
        QTest::newRow("optimizer_steps past int64") << "steps 99999999999999999999" << "metadata \"optimizer_steps\": 99999999999999999999 is out of range" << false;
        QTest::newRow("optimizer_steps not a number") << "steps many" << "metadata \"optimizer_steps\": \"many\" is not a whole number" << false;
        QTest::newRow("negative optimizer_steps") << "steps -5" << "metadata \"optimizer_steps\": -5 is outside 0..9223372036854775807" << false;
        QTest::newRow("epoch past int") << "epoch 4294967296" << "metadata \"epoch\": 4294967296 is outside 0..2147483647" << false;
        // clang-format on
    }

    void damagedFiles() {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        QFETCH(bool, io);
        QTemporaryDir dir;
        const QString path = dir.filePath("c.safetensors");
        Model model = compileExample("mlp");
        initializeParameters(model.params(), 1);
        std::map<std::string, std::string> metadata;
        if (damage.startsWith("steps ") || damage.startsWith("epoch ")) {
            const QStringList kv = damage.split(' ');
            metadata[kv[0] == "steps" ? "optimizer_steps" : "epoch"] = kv[1].toStdString();
        }
        QVERIFY(saveCheckpoint(path.toStdString(), model, nullptr, metadata));
        QByteArray bytes = readAll(path);
        // A file of one tensor "t" with this header text.
        auto withHeader = [](const QByteArray& header) {
            QByteArray out(8, 0);
            for (int i = 0; i < 8; ++i)
                out[i] = char((quint64(header.size()) >> (8 * i)) & 0xff);
            return out + header + QByteArray(16, 0);
        };
        if (damage == "empty")
            bytes.clear();
        else if (damage == "truncate")
            bytes.chop(1000);
        else if (damage == "header")
            bytes.replace(0, 8, QByteArray("\xff\xff\xff\xff\x00\x00\x00\x00", 8));
        else if (damage == "garbage")
            bytes.replace(8, 6, "{{{{{{");
        else if (damage == "dtype")
            bytes.replace(bytes.indexOf("F32"), 3, "I32");
        else if (damage == "deep")
            bytes = withHeader("{\"a\": {\"b\": " + QByteArray("[").repeated(100000) +
                               QByteArray("]").repeated(100000) + "}, \"c\": 1}");
        else if (damage == "duplicate")
            bytes = withHeader(R"({"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},)"
                               R"( "t": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})");
        else if (damage == "overflow") // 2^31 * 2^31 * 4 floats wrap to 0 bytes in 64 bits
            bytes = withHeader(R"({"t": {"dtype": "F32", "shape": [2147483648, 2147483648, 4],)"
                               R"( "data_offsets": [0, 0]}})");
        else if (damage == "scalar shape")
            bytes = withHeader(R"({"t": {"dtype": "F32", "shape": 5, "data_offsets": [0, 20]}})");
        if (damage == "missing") {
            QFile::remove(path);
        } else if (damage == "folder") {
            QFile::remove(path);
            QVERIFY(QDir(dir.path()).mkdir("c.safetensors"));
        } else {
            writeAll(path, bytes);
        }
        auto read = readCheckpoint(path.toStdString());
        QVERIFY(!read.isOk());
        QVERIFY2(QString::fromStdString(read.message()).contains(expected), read.message().c_str());
        QVERIFY(QString::fromStdString(read.message()).contains(path));
        QCOMPARE(read.status().isIoError(), io);
        if (io)
            return;
        // The same bytes from memory give the same answer (the fuzz target's entry point).
        auto fromBytes = readCheckpointBytes(bytes.toStdString(), path.toStdString());
        QVERIFY(!fromBytes.isOk());
        QCOMPARE(fromBytes.message(), read.message());
    }

    // What PyTorch saves: half precision, bfloat16 and double arrive as float32; BatchNorm's
    // integer num_batches_tracked is skipped.
    void otherFloatTypesAndPyTorchBookkeeping() {
        const QByteArray header =
            R"({"half": {"dtype": "F16", "shape": [4], "data_offsets": [0, 8]},)"
            R"( "brain": {"dtype": "BF16", "shape": [2], "data_offsets": [8, 12]},)"
            R"( "double": {"dtype": "F64", "shape": [1, 2], "data_offsets": [12, 28]},)"
            R"( "bn.num_batches_tracked": {"dtype": "I64", "shape": [], "data_offsets": [28, 36]}})";
        QByteArray data;
        auto put = [&data](const void* p, int n) { data.append(static_cast<const char*>(p), n); };
        // 1, -2.5, 65504 (the largest half) and 2^-24 (the smallest subnormal).
        const quint16 halves[] = {0x3c00, 0xc100, 0x7bff, 0x0001};
        put(halves, sizeof halves);
        const quint16 brains[] = {0x3f80, 0xbf00}; // 1, -0.5
        put(brains, sizeof brains);
        const double doubles[] = {0.1, 3.0};
        put(doubles, sizeof doubles);
        const qint64 steps = 12;
        put(&steps, sizeof steps);
        QByteArray bytes(8, 0);
        for (int i = 0; i < 8; ++i)
            bytes[i] = char((quint64(header.size()) >> (8 * i)) & 0xff);
        bytes += header + data;
        auto read = readSafetensorsBytes(bytes.toStdString(), "state_dict.safetensors");
        QVERIFY2(read.isOk(), read.message().c_str());
        const auto& tensors = read.value().tensors;
        QCOMPARE(tensors.size(), std::size_t(3));
        const Tensor& half = tensors.at("half");
        QCOMPARE(half[0], 1.0f);
        QCOMPARE(half[1], -2.5f);
        QCOMPARE(half[2], 65504.0f);
        QCOMPARE(half[3], std::ldexp(1.0f, -24));
        QCOMPARE(tensors.at("brain")[1], -0.5f);
        QCOMPARE(tensors.at("double").dims(), (Dims{1, 2}));
        QCOMPARE(tensors.at("double")[0], 0.1f);
    }

    // Weights from a device that never ends: the header length (0) is refused at once.
    void weightsFromDevZero() {
        auto read = readCheckpoint("/dev/zero");
        QVERIFY(!read.isOk());
        QVERIFY2(QString::fromStdString(read.message())
                     .startsWith("/dev/zero: damaged safetensors header:1:1: syntax error"),
                 read.message().c_str());
        QVERIFY(!read.status().isIoError());
    }

    // A resumed count of 2^63-1 steps: Adam's bias correction (pow(0.9, steps)) and the step
    // counter must neither overflow nor produce NaN.
    void optimizerStepsAtTheLimit() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("c.safetensors").toStdString();
        Model model = compileExample("mlp");
        initializeParameters(model.params(), 4);
        auto optimizer = Optimizer::create({"adam", 0.9, 0.0}, model.params()).value();
        const std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
        optimizer.setSteps(kMax);
        QVERIFY(saveCheckpoint(path, model, &optimizer, {}));
        auto read = readCheckpoint(path);
        QVERIFY2(read.isOk(), read.message().c_str());
        QCOMPARE(read.value().metadata.at("optimizer_steps"), std::to_string(kMax));
        auto resumed = Optimizer::create({"adam", 0.9, 0.0}, model.params()).value();
        QVERIFY(applyWeights(read.value(), model));
        QVERIFY(applyOptimizerState(read.value(), resumed));
        QCOMPARE(resumed.steps(), kMax);
        for (Parameter& p : model.params().all())
            if (p.trainable)
                p.grad.fill(0.5f);
        CpuBackend cpu;
        QVERIFY(resumed.step(model.params(), 0.01f, cpu));
        QCOMPARE(resumed.steps(), kMax); // saturates
        for (const Parameter& p : model.params().all())
            for (std::int64_t i = 0; i < p.value.size(); ++i)
                QVERIFY2(std::isfinite(p.value[i]), p.name.c_str());
    }

    void checkpointOfAnotherGraphIsRefused() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("c.safetensors").toStdString();
        Model cnn = compileExample("mnist_cnn");
        QVERIFY(saveCheckpoint(path, cnn, nullptr, {}));
        // The same graph with a narrower fc1: every name exists, one shape differs.
        Graph narrower = cnn.graph();
        QVERIFY(narrower.setParam(narrower.findByName("fc1")->id, "units", std::int64_t(128)));
        Model modified = Model::compile(narrower).value();
        initializeParameters(modified.params(), 8);
        const float before = modified.params().at(0).value[0];
        Status s = applyWeights(readCheckpoint(path).value(), modified);
        QVERIFY(!s);
        QVERIFY2(QString::fromStdString(s.message())
                     .contains("\"fc1.weight\" is 256x512 but the graph needs 128x512"),
                 s.message().c_str());
        QCOMPARE(modified.params().at(0).value[0], before); // untouched
        Model other = compileExample("modified_cnn");
        s = applyWeights(readCheckpoint(path).value(), other);
        QVERIFY2(QString::fromStdString(s.message()).contains("has no tensor \"conv_wide.weight\""),
                 s.message().c_str());
    }

    // What `import` writes for a graph without parameters: a file with no tensors. It reads,
    // and applying it to a graph that has parameters names the first one missing.
    void fileWithNoTensors() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("empty.safetensors").toStdString();
        QVERIFY(writeSafetensors(path, {}, {{"source", "free.onnx"}}));
        Result<Checkpoint> read = readCheckpoint(path);
        QVERIFY2(read, read ? "" : read.message().c_str());
        QVERIFY(read.value().tensors.empty());
        Model mlp = compileExample("mlp");
        Status s = applyWeights(read.value(), mlp);
        QVERIFY2(QString::fromStdString(s.message()).contains("has no tensor \"fc1.weight\""),
                 s.message().c_str());
    }
};

QTEST_APPLESS_MAIN(CheckpointsTest)
#include "tst_checkpoints.moc"
