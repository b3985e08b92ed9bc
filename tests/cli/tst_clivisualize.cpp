// `netcanvas-cli visualize`, run as a user would: each of the five pictures with its figures,
// the confusion matrix adding up to the validation count, and clear errors with the right
// exit codes for bad kinds, edges, layers, graphs without a classifier and unwritable files.

#include "clirunner.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using nc::test::CliRun;
using nc::test::runCli;

namespace {

QString example(const char* name) {
    return nc::test::sourcePath(QString("resources/examples/%1.json").arg(name));
}

QJsonObject figures(const CliRun& run) {
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

} // namespace

class CliVisualizeTest : public QObject {
    Q_OBJECT

private slots:
    void everyKindDrawsAPicture_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("key");
        QTest::newRow("activations")
            << QStringList{"activations", example("mnist_cnn"),         "--edge", "pool1",
                           "--input",     "synthetic:digits?count=20#4"}
            << "shape";
        QTest::newRow("one map") << QStringList{"activations", example("mnist_cnn"),
                                                "--edge",      "conv1",
                                                "--input",     "synthetic:digits#0",
                                                "--channel",   "3",
                                                "--colormap",  "inferno"}
                                 << "std";
        QTest::newRow("filters") << QStringList{"filters", example("catsdogs_cnn"), "--layer",
                                                "conv1"}
                                 << "weight";
        QTest::newRow("dense rows")
            << QStringList{"filters", example("mlp"), "--layer", "fc1"} << "weight";
        QTest::newRow("reconstructions")
            << QStringList{"reconstructions", example("conv_autoencoder"),
                           "--data",          "synthetic:digits?count=50",
                           "--count",         "6"}
            << "mse";
        QTest::newRow("saliency") << QStringList{"saliency", example("mnist_cnn"),
                                                 "--input",  "synthetic:digits#2",
                                                 "--class",  "2"}
                                  << "probability";
        QTest::newRow("grad-cam") << QStringList{"saliency", example("mnist_cnn"),
                                                 "--input",  "synthetic:digits#2",
                                                 "--edge",   "conv2"}
                                  << "edge";
    }
    void everyKindDrawsAPicture() {
        QFETCH(QStringList, args);
        QFETCH(QString, key);
        QTemporaryDir dir;
        const QString out = dir.filePath("picture.png");
        const CliRun run =
            runCli(QStringList{"visualize"} + args + QStringList{"--out", out, "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject j = figures(run);
        QVERIFY2(j.contains(key), qPrintable(run.out));
        const QImage picture(out);
        QVERIFY(!picture.isNull());
        QCOMPARE(picture.width(), j["width"].toInt());
        QCOMPARE(picture.height(), j["height"].toInt());
        QVERIFY(j["weights"].toString().startsWith("initial weights"));
    }

    void shapesAndStatistics() {
        const CliRun run = runCli({"visualize", "activations", example("mnist_cnn"), "--edge",
                                   "pool1", "--input", "synthetic:digits#4", "--json"});
        QCOMPARE(run.exitCode, 0);
        const QJsonObject j = figures(run);
        QCOMPARE(j["shape"].toArray(), (QJsonArray{32, 12, 12}));
        QVERIFY(j["min"].toDouble() >= 0.0); // after relu
        QVERIFY(!j.contains("saturated"));
        const QJsonObject tanh =
            figures(runCli({"visualize", "activations", example("conv_autoencoder"), "--edge",
                            "conv1", "--input", "synthetic:digits#4", "--json"}));
        QVERIFY(tanh.contains("saturated"));
    }

    void confusionAddsUpToTheValidationSet() {
        const CliRun run = runCli({"visualize", "confusion", example("mnist_cnn"), "--data",
                                   "synthetic:digits?count=500", "--val-split", "0.3", "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject j = figures(run);
        QCOMPARE(j["samples"].toInt(), 150);
        int total = 0, diagonal = 0, row = 0;
        for (const auto& r : j["matrix"].toArray()) {
            int col = 0;
            for (const auto& v : r.toArray()) {
                total += v.toInt();
                diagonal += row == col++ ? v.toInt() : 0;
            }
            ++row;
        }
        QCOMPARE(total, 150);
        QCOMPARE(row, 10);
        QCOMPARE(j["accuracy"].toDouble(), diagonal / 150.0);
        QCOMPARE(j["misclassified"].toInt(), 150 - diagonal);
        QCOMPARE(j["recall"].toArray().size(), 10);
    }

    void errorsSayWhatAndExitRight_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        QTest::newRow("no kind") << QStringList{"pictures", example("mlp")} << 2 << "KIND";
        QTest::newRow("no edge") << QStringList{"activations", example("mlp"), "--input",
                                                "synthetic:digits#0"}
                                 << 2 << "--edge";
        QTest::newRow("unknown edge")
            << QStringList{"activations", example("mlp"), "--edge",
                           "nope",        "--input",      "synthetic:digits#0"}
            << 2 << "\"nope\"";
        QTest::newRow("sample past the end")
            << QStringList{"activations", example("mlp"), "--edge",
                           "fc1",         "--input",      "synthetic:digits?count=10#10"}
            << 1 << "past the end";
        QTest::newRow("missing image")
            << QStringList{"activations", example("mlp"), "--edge",
                           "fc1",         "--image",      "/nonexistent/x.png"}
            << 2 << "x.png";
        QTest::newRow("bad colormap")
            << QStringList{"activations", example("mlp"),       "--edge",     "fc1",
                           "--input",     "synthetic:digits#0", "--colormap", "jet"}
            << 2 << "jet";
        QTest::newRow("layer without weights")
            << QStringList{"filters", example("mnist_cnn"), "--layer", "pool1"} << 2 << "pool1";
        QTest::newRow("not an autoencoder")
            << QStringList{"reconstructions", example("mnist_cnn")} << 1 << "reconstructs nothing";
        QTest::newRow("not a classifier") << QStringList{"confusion", example("conv_autoencoder"),
                                                         "--data", "synthetic:digits?count=20"}
                                          << 1 << "does not classify";
        QTest::newRow("grad-cam on a vector") << QStringList{"saliency", example("mnist_cnn"),
                                                             "--input",  "synthetic:digits#0",
                                                             "--edge",   "fc1"}
                                              << 1 << "feature maps";
        QTest::newRow("missing weights")
            << QStringList{"filters", example("mnist_cnn"), "--layer",
                           "conv1",   "--weights",          "/nonexistent/w.safetensors"}
            << 2 << "w.safetensors";
        QTest::newRow("unwritable out")
            << QStringList{"filters", example("mnist_cnn"),    "--layer", "conv1",
                           "--out",   "/nonexistent/dir/f.png"}
            << 2 << "f.png";
    }
    void errorsSayWhatAndExitRight() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const CliRun run = runCli(QStringList{"visualize"} + args);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.startsWith("netcanvas-cli visualize"), qPrintable(run.err));
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QCOMPARE(run.err.count('\n'), 1);
    }
};

QTEST_GUILESS_MAIN(CliVisualizeTest)
#include "tst_clivisualize.moc"
