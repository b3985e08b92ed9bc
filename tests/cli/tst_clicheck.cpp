// `netcanvas-cli check`, run as a user would: output, --json, exit codes and messages.

#include "clirunner.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using nc::test::CliRun;
using nc::test::runCli;

namespace {

QString source(const QString& relative) {
    return nc::test::sourcePath(relative);
}

} // namespace

class CliCheckTest : public QObject {
    Q_OBJECT

private slots:
    void tableForAnExample();
    void jsonLines();
    void invalidGraphExitsWithOne();
    void malformedFileExitsWithOne();
    void usageErrorsExitWithTwo_data();
    void usageErrorsExitWithTwo();
    void helpAndVersion();
    void summaryForms();
};

void CliCheckTest::tableForAnExample() {
    CliRun run = runCli({"check", source("resources/examples/mnist_cnn.json")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.err.isEmpty());
    QVERIFY2(run.out.contains(QRegularExpression(R"(\n\s+2\s+conv1\s+Conv2D\s+32x24x24\s+832\n)")),
             qPrintable(run.out));
    QVERIFY(run.out.contains(QRegularExpression(R"(\s+1\s+input\s+Input\s+x 1x28x28, y 1\s+0\n)")));
    QVERIFY(run.out.contains("total parameters: 160,362\n"));
    QVERIFY(run.out.contains("no problems found"));
}

void CliCheckTest::jsonLines() {
    CliRun run = runCli({"check", "--json", source("resources/examples/conv_autoencoder.json")});
    QCOMPARE(run.exitCode, 0);
    QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 17); // 16 nodes and the summary
    for (const QString& line : lines)
        QVERIFY2(QJsonDocument::fromJson(line.toUtf8()).isObject(), qPrintable(line));
    QJsonObject deconv1 = QJsonDocument::fromJson(lines[14].toUtf8()).object();
    QCOMPARE(deconv1["name"].toString(), QString("deconv1"));
    QCOMPARE(deconv1["type"].toString(), QString("Deconv2D"));
    QCOMPARE(deconv1["outputs"].toObject()["out"].toVariant().toList(), QVariantList({1, 28, 28}));
    QCOMPARE(deconv1["params"].toInt(), 1);
    QJsonObject summary = QJsonDocument::fromJson(lines.last().toUtf8()).object();
    QCOMPARE(summary["total_params"].toInteger(), 289409);
    QCOMPARE(summary["valid"].toBool(), true);
    QVERIFY(summary["diagnostics"].toArray().isEmpty());
}

void CliCheckTest::invalidGraphExitsWithOne() {
    QTemporaryDir dir;
    QFile example(source("resources/examples/mnist_cnn.json"));
    QVERIFY(example.open(QIODevice::ReadOnly));
    QByteArray text = example.readAll();
    text.replace("\"shape\": [1, 28, 28]", "\"shape\": [1, 12, 12]"); // conv2 no longer fits
    QString path = dir.filePath("small.json");
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(text);
    out.close();

    CliRun run = runCli({"check", path});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.contains("error: Conv2D \"conv2\": kernel 5x5 is larger than its 4x4 input "
                              "(padding \"valid\")"),
             qPrintable(run.out));
    CliRun json = runCli({"check", "--json", path});
    QCOMPARE(json.exitCode, 1);
    QJsonObject summary =
        QJsonDocument::fromJson(json.out.split('\n', Qt::SkipEmptyParts).last().toUtf8()).object();
    QCOMPARE(summary["valid"].toBool(), false);
    QJsonObject first = summary["diagnostics"].toArray().first().toObject();
    QCOMPARE(first["severity"].toString(), QString("error"));
    QCOMPARE(first["node"].toInt(), 4);
    QCOMPARE(first["port"].toInt(), 0);
}

void CliCheckTest::malformedFileExitsWithOne() {
    QString path = source("tests/graph_model/malformed/unknown_type.json");
    CliRun run = runCli({"check", path});
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.startsWith("netcanvas-cli check: " + path +
                                ": nodes[1].type: unknown layer type \"Conv3D\""),
             qPrintable(run.err));
}

void CliCheckTest::usageErrorsExitWithTwo_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    // clang-format off
    QTest::newRow("no command") << QStringList{} << "usage: netcanvas-cli COMMAND";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command 'frobnicate'";
    QTest::newRow("missing graph") << QStringList{"check"} << "missing GRAPH file";
    QTest::newRow("unknown option") << QStringList{"check", "--jsn", "x.json"} << "unknown option '--jsn'";
    QTest::newRow("two graphs") << QStringList{"check", "a.json", "b.json"} << "expected one GRAPH file";
    QTest::newRow("summary batch") << QStringList{"check", "a.json", "--summary", "--batch", "0"} << "--batch";
    QTest::newRow("unreadable file") << QStringList{"check", "/nonexistent.json"} << "cannot open /nonexistent.json: No such file or directory";
    // clang-format on
}

void CliCheckTest::usageErrorsExitWithTwo() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    CliRun run = runCli(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

void CliCheckTest::helpAndVersion() {
    CliRun help = runCli({"--help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("check GRAPH"));
    CliRun checkHelp = runCli({"check", "--help"});
    QCOMPARE(checkHelp.exitCode, 0);
    QVERIFY(checkHelp.out.contains("Exit status: 0 valid, 1 the graph is invalid"));
    CliRun version = runCli({"--version"});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith("netcanvas-cli 0."));
}

QTEST_GUILESS_MAIN(CliCheckTest)
#include "tst_clicheck.moc"

void CliCheckTest::summaryForms() {
    const QString cnn = source("resources/examples/mnist_cnn.json");
    CliRun table = runCli({"check", cnn, "--summary", "--batch", "32"});
    QCOMPARE(table.exitCode, 0);
    QVERIFY2(table.out.contains("| conv1 | Conv2D | 32x24x24 | 832 | 460,800 | 73.7 kB |"),
             qPrintable(table.out));
    QVERIFY(table.out.contains("| **total** | | | **160,362** | **2,232,832** |"));
    QVERIFY(table.out.contains("Training memory at batch 32"));
    CliRun csv = runCli({"check", cnn, "--summary", "--csv"});
    QCOMPARE(csv.exitCode, 0);
    QVERIFY(csv.out.startsWith(
        "id,name,type,output,parameters,multiply_adds,activations,activation_bytes\n"));
    CliRun json = runCli({"check", cnn, "--summary", "--json"});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(o["multiply_adds"].toInteger(), 2232832);
    QCOMPARE(o["training_memory"].toObject()["batch"].toInt(), 128);
    QVERIFY(o["warnings"].toArray().isEmpty());
    CliRun warned = runCli({"check", source("resources/examples/catsdogs_cnn.json"), "--summary"});
    QVERIFY2(warned.out.contains("- warning: fc1 holds"), qPrintable(warned.out));
}
