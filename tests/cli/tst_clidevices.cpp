// `netcanvas-cli devices`: the CPU always, each GPU or the reason there is none, and clear
// reasons when the CUDA plugin is missing or broken (NETCANVAS_CUDA_PLUGIN points elsewhere).

#include "clirunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using nc::test::runCli;

class CliDevicesTest : public QObject {
    Q_OBJECT

private slots:
    void cleanup() { qunsetenv("NETCANVAS_CUDA_PLUGIN"); }

    void listsCpuAndGpusOrWhyNot() {
        auto run = runCli({"devices"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QRegularExpression("^  cpu  CPU, \\d+ threads$",
                                                     QRegularExpression::MultilineOption)),
                 qPrintable(run.out));
        // Either usable GPUs, or one line that says why there are none.
        const bool gpus = run.out.contains(QRegularExpression("^  cuda:\\d+  .+, \\d+ GB",
                                                              QRegularExpression::MultilineOption));
        const bool whyNot = run.out.contains(QRegularExpression(
            "^- cuda  NVIDIA GPUs: unavailable, .{10,}$", QRegularExpression::MultilineOption));
        QVERIFY2(gpus != whyNot, qPrintable(run.out));
    }

    void json() {
        auto run = runCli({"devices", "--json"});
        QCOMPARE(run.exitCode, 0);
        const QJsonArray devices =
            QJsonDocument::fromJson(run.out.toUtf8()).object()["devices"].toArray();
        QVERIFY(devices.size() >= 2);
        QCOMPARE(devices[0].toObject()["device"].toString(), QString("cpu"));
        QVERIFY(devices[0].toObject()["usable"].toBool());
        for (const QJsonValue& d : devices)
            QVERIFY(d.toObject()["usable"].toBool() ||
                    d.toObject()["why_not"].toString().size() > 10);
#ifdef NC_CUDA_PLUGIN_BUILT
        // This build made the plugin: it must load (its libraries resolve, no symbol is
        // missing), whether or not the machine has a GPU.
        const QJsonObject all = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QVERIFY2(all["cuda_plugin_loaded"].toBool(), qPrintable(run.out));
#endif
    }

    void missingPlugin() {
        qputenv("NETCANVAS_CUDA_PLUGIN", "/nonexistent/libnetcanvas_cuda.so");
        auto run = runCli({"devices"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("NETCANVAS_CUDA_PLUGIN names /nonexistent/libnetcanvas_cuda.so, "
                                  "which does not exist"),
                 qPrintable(run.out));
        // Training on the GPU is refused with the same reason; the CPU still works.
        auto train = runCli({"train", nc::test::sourcePath("resources/examples/mlp.json"),
                             "--device", "cuda"});
        QCOMPARE(train.exitCode, 2);
        QVERIFY2(train.err.contains("--device cuda: NETCANVAS_CUDA_PLUGIN names"),
                 qPrintable(train.err));
    }

    void brokenPlugin() {
        QTemporaryDir dir;
        QFile fake(dir.filePath("libnetcanvas_cuda.so"));
        QVERIFY(fake.open(QIODevice::WriteOnly));
        fake.write("not a shared library");
        fake.close();
        qputenv("NETCANVAS_CUDA_PLUGIN", fake.fileName().toUtf8());
        auto run = runCli({"devices"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("the CUDA backend could not be loaded"), qPrintable(run.out));
        QVERIFY2(run.out.contains("  cpu  CPU"), qPrintable(run.out));
    }

    void unknownOption() {
        auto run = runCli({"devices", "--all"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains("unknown option '--all'"));
    }
};

QTEST_GUILESS_MAIN(CliDevicesTest)
#include "tst_clidevices.moc"
