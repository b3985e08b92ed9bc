// Checkpoints: a round trip keeps every tensor and the metadata; damaged or mismatched files
// give a message naming the file and the tensor, and leave the model as it was.

#include "enginetesting.h"

#include "engine/checkpoint.h"
#include "engine/safetensors.h"

#include "graph_model/graphjson.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

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
        QTest::newRow("empty") << "empty"
                               << "not a safetensors file (shorter than its 8-byte header length)";
        QTest::newRow("truncated data") << "truncate"
                                        << "does not fit its shape";
        QTest::newRow("absurd header length") << "header"
                                              << "damaged safetensors file (a header of";
        QTest::newRow("garbage header") << "garbage"
                                        << "damaged safetensors header (not valid JSON)";
        QTest::newRow("half precision") << "dtype"
                                        << "has dtype \"F16\"; only F32 is supported";
        QTest::newRow("missing file") << "missing"
                                      << "cannot open";
    }

    void damagedFiles() {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath("c.safetensors");
        Model model = compileExample("mlp");
        initializeParameters(model.params(), 1);
        QVERIFY(saveCheckpoint(path.toStdString(), model, nullptr, {}));
        QByteArray bytes = readAll(path);
        if (damage == "empty")
            bytes.clear();
        else if (damage == "truncate")
            bytes.chop(1000);
        else if (damage == "header")
            bytes.replace(0, 8, QByteArray("\xff\xff\xff\xff\x00\x00\x00\x00", 8));
        else if (damage == "garbage")
            bytes.replace(8, 6, "{{{{{{");
        else if (damage == "dtype")
            bytes.replace(bytes.indexOf("F32"), 3, "F16");
        if (damage == "missing")
            QFile::remove(path);
        else
            writeAll(path, bytes);
        auto read = readCheckpoint(path.toStdString());
        QVERIFY(!read.isOk());
        QVERIFY2(QString::fromStdString(read.message()).contains(expected), read.message().c_str());
        QVERIFY(QString::fromStdString(read.message()).contains(path));
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
};

QTEST_APPLESS_MAIN(CheckpointsTest)
#include "tst_checkpoints.moc"
