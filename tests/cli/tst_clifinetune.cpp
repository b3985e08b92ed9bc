// Fine-tuning what was imported (`train --init WEIGHTS`) and probing with real targets: an
// exported model imported back trains from its own weights, weights that do not fit are
// refused by name before any run folder exists, `probe` gives Input.y and the losses the
// sample's own target, and a graph without parameters probes with the file `import` wrote.

#include "clirunner.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <map>
#include <vector>

using nc::test::CliRun;
using nc::test::runCli;

namespace {

QJsonObject lastJson(const QString& out) {
    const QStringList lines = out.split('\n', Qt::SkipEmptyParts);
    return lines.isEmpty() ? QJsonObject()
                           : QJsonDocument::fromJson(lines.last().toUtf8()).object();
}

bool writeText(const QString& path, const QByteArray& text) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
}

QJsonObject readJson(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object()
                                       : QJsonObject();
}

bool writeJson(const QString& path, const QJsonObject& object) {
    return writeText(path, QJsonDocument(object).toJson());
}

// A 784 -> 10 classifier with no dropout, so a training step's loss is the loss the weights
// give in evaluation too.
QByteArray tinyClassifier() {
    return R"({"format": "netcanvas-graph", "version": 1, "next_id": 4,
      "nodes": [
        {"id": 1, "type": "Input", "name": "input", "position": [0, 0],
         "params": {"shape": [1, 28, 28], "target_shape": [1]}},
        {"id": 2, "type": "Dense", "name": "fc", "position": [200, 0], "params": {"units": 10}},
        {"id": 3, "type": "SoftmaxCrossEntropy", "name": "loss", "position": [400, 0],
         "params": {}}],
      "edges": [{"from": [1, "x"], "to": [2, "in"]}, {"from": [2, "out"], "to": [3, "logits"]},
                {"from": [1, "y"], "to": [3, "target"]}]})";
}

// Input -> relu: nothing to learn.
QByteArray parameterFree() {
    return R"({"format": "netcanvas-graph", "version": 1, "next_id": 3,
      "nodes": [
        {"id": 1, "type": "Input", "name": "input", "position": [0, 0],
         "params": {"shape": [1, 28, 28], "target_shape": [1]}},
        {"id": 2, "type": "Activation", "name": "act", "position": [200, 0],
         "params": {"function": "relu"}}],
      "edges": [{"from": [1, "x"], "to": [2, "in"]}]})";
}

// A safetensors file of F32 tensors, all zero: name -> shape.
bool writeZeroSafetensors(const QString& path, const std::map<QString, std::vector<int>>& shapes) {
    QJsonObject header;
    qint64 offset = 0;
    for (const auto& [name, shape] : shapes) {
        qint64 count = 1;
        QJsonArray dims;
        for (int d : shape) {
            count *= d;
            dims.append(d);
        }
        header[name] = QJsonObject{{"dtype", "F32"},
                                   {"shape", dims},
                                   {"data_offsets", QJsonArray{offset, offset + count * 4}}};
        offset += count * 4;
    }
    QByteArray text = QJsonDocument(header).toJson(QJsonDocument::Compact);
    if (text == "{}")
        text = "{}      "; // any length works; keep the data aligned
    QByteArray bytes(8, '\0');
    const quint64 length = quint64(text.size());
    for (int i = 0; i < 8; ++i)
        bytes[i] = char((length >> (8 * i)) & 0xff);
    bytes += text;
    bytes += QByteArray(int(offset), '\0');
    return writeText(path, bytes);
}

// The floats of a little-endian float32 .npy file (the data follows the header).
std::vector<float> readNpyFloats(const QString& path, int count) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    if (bytes.size() < count * 4)
        return {};
    std::vector<float> values(static_cast<std::size_t>(count));
    std::memcpy(values.data(), bytes.constData() + bytes.size() - count * 4,
                std::size_t(count) * 4);
    return values;
}

// -log softmax(logits)[label]
double crossEntropy(const std::vector<float>& logits, int label) {
    double top = logits[0];
    for (float v : logits)
        top = std::max(top, double(v));
    double sum = 0;
    for (float v : logits)
        sum += std::exp(double(v) - top);
    return -(double(logits[std::size_t(label)]) - top - std::log(sum));
}

} // namespace

class CliFineTuneTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_graph;   // the imported graph with a loss added: trainable
    QString m_weights; // what `import` wrote
    QString m_logits;  // the imported Dense's name

    QString path(const QString& name) const { return m_dir.filePath(name); }

    // `train` on one sample (synthetic digit #0, class 0) for one step; its loss, or NaN.
    double firstStepLoss(const QString& graph, const QStringList& extra, const QString& out) {
        QStringList args{"train",       graph, "--data",   "synthetic:digits?count=1",
                         "--val-split", "0",   "--epochs", "1",
                         "--batch",     "1",   "--out",    out,
                         "--json"};
        CliRun run = runCli(args + extra);
        if (run.exitCode != 0) {
            qWarning("%s", qPrintable(run.err));
            return std::nan("");
        }
        return lastJson(run.out)["train_loss"].toDouble(std::nan(""));
    }

private slots:
    // A trained tiny classifier exported to ONNX and imported back, a loss added to the
    // imported graph (import leaves it out).
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString tiny = path("tiny.json");
        QVERIFY(writeText(tiny, tinyClassifier()));
        CliRun trained = runCli({"train", tiny, "--data", "synthetic:digits?count=64", "--epochs",
                                 "2", "--batch", "16", "--out", path("trained")});
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
        CliRun exported =
            runCli({"export", tiny, "--weights", path("trained/checkpoint.safetensors"), "--onnx",
                    path("tiny.onnx")});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        m_weights = path("imported.safetensors");
        CliRun imported = runCli(
            {"import", path("tiny.onnx"), "--out", path("imported.json"), "--weights", m_weights});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));

        QJsonObject graph = readJson(path("imported.json"));
        QJsonArray nodes = graph["nodes"].toArray();
        QJsonArray edges = graph["edges"].toArray();
        qint64 input = -1, logits = -1, next = 0;
        for (QJsonValueRef ref : nodes) {
            QJsonObject n = ref.toObject();
            const qint64 id = n["id"].toInteger();
            next = std::max(next, id + 1);
            if (n["type"].toString() == "Input") { // class labels, for the loss
                input = id;
                QJsonObject params = n["params"].toObject();
                params["target_shape"] = QJsonArray{1};
                n["params"] = params;
                ref = n;
            } else if (n["type"].toString() == "Dense") {
                logits = id;
                m_logits = n["name"].toString();
            }
        }
        QVERIFY2(input >= 0 && logits >= 0, "the import has an Input and a Dense");
        nodes.append(QJsonObject{{"id", next},
                                 {"type", "SoftmaxCrossEntropy"},
                                 {"name", "loss"},
                                 {"position", QJsonArray{600, 0}},
                                 {"params", QJsonObject{}}});
        edges.append(
            QJsonObject{{"from", QJsonArray{logits, "out"}}, {"to", QJsonArray{next, "logits"}}});
        edges.append(
            QJsonObject{{"from", QJsonArray{input, "y"}}, {"to", QJsonArray{next, "target"}}});
        graph["nodes"] = nodes;
        graph["edges"] = edges;
        graph["next_id"] = next + 1;
        m_graph = path("finetune.json");
        QVERIFY(writeJson(m_graph, graph));
        CliRun check = runCli({"check", m_graph});
        QVERIFY2(check.exitCode == 0, qPrintable(check.err + check.out));
    }

    // The first step's loss is the loss of the imported weights (as `probe` computes it on
    // the same sample), not of a fresh start.
    void initStartsFromTheImportedWeights() {
        const double fineTuned = firstStepLoss(m_graph, {"--init", m_weights}, path("init"));
        const double fresh = firstStepLoss(m_graph, {}, path("fresh"));
        QVERIFY(std::isfinite(fineTuned) && std::isfinite(fresh));
        CliRun probe = runCli({"probe", m_graph, "--weights", m_weights, "--edge", "loss",
                               "--input", "synthetic:digits?count=1#0", "--json"});
        QVERIFY2(probe.exitCode == 0, qPrintable(probe.err));
        const double expected = lastJson(probe.out)["mean"].toDouble();
        QVERIFY2(std::abs(fineTuned - expected) <= 1e-5 * std::max(1.0, expected),
                 qPrintable(QString("first step %1, the imported weights give %2")
                                .arg(fineTuned)
                                .arg(expected)));
        QVERIFY2(std::abs(fresh - fineTuned) > 1e-3,
                 qPrintable(QString("a fresh start gives %1 too").arg(fresh)));
        const QJsonObject info = readJson(path("init/run.json"));
        QCOMPARE(info["status"].toString(), QString("completed"));
        QCOMPARE(info["initial_weights"].toString(), QFileInfo(m_weights).absoluteFilePath());
        QVERIFY(readJson(path("fresh/run.json"))["initial_weights"].isNull());
    }

    // A run's checkpoint also starts a fine-tune: its optimizer state is left behind.
    void initFromACheckpoint() {
        const double loss = firstStepLoss(m_graph, {"--init", path("init/checkpoint.safetensors")},
                                          path("from-checkpoint"));
        QVERIFY(std::isfinite(loss));
    }

    // Resuming a fine-tune continues it as any run; run.json still names where it began.
    void resumedFineTuneKeepsItsOrigin() {
        CliRun run = runCli({"train", m_graph, "--data", "synthetic:digits?count=1", "--val-split",
                             "0", "--epochs", "2", "--batch", "1", "--resume",
                             path("init/checkpoint.safetensors"), "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(lastJson(run.out)["epoch"].toInt(), 2);
        const QJsonObject info = readJson(path("init/run.json"));
        QCOMPARE(info["resumed_from_epoch"].toInt(), 1);
        QCOMPARE(info["initial_weights"].toString(), QFileInfo(m_weights).absoluteFilePath());
    }

    void initRefusesWeightsThatDoNotFit_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("tensors"); // name:dims,...
        QTest::addColumn<QString>("message");
        QTest::newRow("missing") << "missing" << QStringList{"fc.weight:10x784"}
                                 << "has no tensor \"fc.bias\"";
        QTest::newRow("shape") << "shape" << QStringList{"fc.weight:10x783", "fc.bias:10"}
                               << "\"fc.weight\" is 10x783 but the graph needs 10x784";
        QTest::newRow("extra") << "extra"
                               << QStringList{"fc.weight:10x784", "fc.bias:10", "head.bias:3"}
                               << "has a tensor \"head.bias\" that the graph has no parameter";
    }

    // Each refused by name with exit 1, before any run folder is made.
    void initRefusesWeightsThatDoNotFit() {
        QFETCH(QString, name);
        QFETCH(QStringList, tensors);
        QFETCH(QString, message);
        std::map<QString, std::vector<int>> shapes;
        for (const QString& t : tensors) {
            std::vector<int> dims;
            for (const QString& d : t.section(':', 1).split('x'))
                dims.push_back(d.toInt());
            shapes[t.section(':', 0, 0)] = dims;
        }
        const QString file = path(name + ".safetensors");
        QVERIFY(writeZeroSafetensors(file, shapes));
        const QString out = path("refused-" + name);
        CliRun run = runCli({"train", path("tiny.json"), "--data", "synthetic:digits?count=8",
                             "--epochs", "1", "--out", out, "--init", file});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QCOMPARE(run.err.trimmed().count('\n'), 0); // one line
        QVERIFY(!QDir(out).exists());
    }

    void initWithResumeIsAUsageError() {
        CliRun run = runCli({"train", m_graph, "--init", m_weights, "--resume",
                             path("init/checkpoint.safetensors")});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--init") && run.err.contains("--resume"), qPrintable(run.err));
    }

    // --resume continues a run; what `import` wrote is no run, and the refusal says what to do.
    void resumeOfAnImportPointsToInit() {
        CliRun run = runCli({"train", m_graph, "--data", "synthetic:digits?count=8", "--resume",
                             m_weights, "--out", path("resumed")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("--init"), qPrintable(run.err));
    }

    // synthetic:digits labels cycle 0..9, so sample i has class i % 10.
    void probeShowsTheSampleTarget_data() {
        QTest::addColumn<int>("index");
        QTest::newRow("#7") << 7;
        QTest::newRow("#13") << 13;
    }

    void probeShowsTheSampleTarget() {
        QFETCH(int, index);
        CliRun run =
            runCli({"probe", m_graph, "--weights", m_weights, "--edge", "input:y", "--input",
                    QString("synthetic:digits?count=20#%1").arg(index), "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject stats = lastJson(run.out);
        QCOMPARE(stats["min"].toDouble(), double(index % 10));
        QCOMPARE(stats["max"].toDouble(), double(index % 10));
    }

    // The loss edge is the cross-entropy of the logits against the sample's class.
    void probeLossUsesTheSampleTarget() {
        const QString input = "synthetic:digits?count=20#7";
        const QString npy = path("logits.npy");
        CliRun logits = runCli({"probe", m_graph, "--weights", m_weights, "--edge", m_logits,
                                "--input", input, "--npy", npy, "--json"});
        QVERIFY2(logits.exitCode == 0, qPrintable(logits.err));
        const std::vector<float> values = readNpyFloats(npy, 10);
        QCOMPARE(values.size(), std::size_t(10));
        CliRun loss = runCli({"probe", m_graph, "--weights", m_weights, "--edge", "loss", "--input",
                              input, "--json"});
        QVERIFY2(loss.exitCode == 0, qPrintable(loss.err));
        const double probed = lastJson(loss.out)["mean"].toDouble();
        const double expected = crossEntropy(values, 7);
        QVERIFY2(std::abs(probed - expected) <= 1e-4 * std::max(1.0, expected),
                 qPrintable(QString("probed %1, expected %2 (class 0 gives %3)")
                                .arg(probed)
                                .arg(expected)
                                .arg(crossEntropy(values, 0))));
    }

    // Import writes a weights file with no tensors for a graph without parameters; probe
    // takes it (and `export` an empty file for such a graph).
    void parameterFreeImportProbes() {
        const QString graph = path("free.json");
        QVERIFY(writeText(graph, parameterFree()));
        QVERIFY(writeZeroSafetensors(path("free-empty.safetensors"), {}));
        CliRun exported = runCli({"export", graph, "--weights", path("free-empty.safetensors"),
                                  "--onnx", path("free.onnx")});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        const QString weights = path("free-imported.safetensors");
        CliRun imported = runCli({"import", path("free.onnx"), "--out", path("free-imported.json"),
                                  "--weights", weights});
        QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
        QVERIFY2(imported.out.contains("0 tensors"), qPrintable(imported.out));
        QString relu;
        for (const QJsonValue& n : readJson(path("free-imported.json"))["nodes"].toArray())
            if (n["type"].toString() != "Input")
                relu = n["name"].toString();
        QVERIFY(!relu.isEmpty());
        CliRun probe = runCli({"probe", path("free-imported.json"), "--weights", weights, "--edge",
                               relu, "--input", "synthetic:digits#3", "--json"});
        QVERIFY2(probe.exitCode == 0, qPrintable(probe.err));
        QVERIFY(lastJson(probe.out)["min"].toDouble() >= 0.0); // after the relu
    }
};

QTEST_GUILESS_MAIN(CliFineTuneTest)
#include "tst_clifinetune.moc"
