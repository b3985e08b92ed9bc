// `netcanvas-cli train`, `probe`, `sample`, `weights` and `bench` as a user runs them.

#include "clirunner.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using nc::test::CliRun;
using nc::test::runCli;
using nc::test::sourcePath;

namespace {

QJsonObject lastJson(const QString& out) {
    return QJsonDocument::fromJson(out.split('\n', Qt::SkipEmptyParts).last().toUtf8()).object();
}

} // namespace

class CliTrainTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_run;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_run = m_dir.filePath("run");
    }

    void trainWritesARun() {
        CliRun run = runCli({"train", sourcePath("resources/examples/mnist_cnn.json"), "--data",
                             "synthetic:digits?count=400", "--epochs", "2", "--batch", "32",
                             "--out", m_run, "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        for (const char* key :
             {"epoch", "train_loss", "val_loss", "val_accuracy", "epoch_s", "images_per_s"})
            QVERIFY2(lastJson(run.out).contains(key), key);
        QCOMPARE(lastJson(run.out)["epoch"].toInt(), 2);
        for (const char* file : {"graph.json", "run.json", "metrics.csv", "checkpoint.safetensors"})
            QVERIFY2(QFile::exists(m_run + "/" + file), file);
        QCOMPARE(QDir(m_run).entryList({"events.out.tfevents.*"}).size(), 1);
        QFile info(m_run + "/run.json");
        QVERIFY(info.open(QIODevice::ReadOnly));
        const QJsonObject runInfo = QJsonDocument::fromJson(info.readAll()).object();
        QCOMPARE(runInfo["status"].toString(), QString("completed"));
        QCOMPARE(runInfo["epochs_done"].toInt(), 2);
        QFile csv(m_run + "/metrics.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 3); // header and two epochs
    }

    void resumeAddsEpochs() {
        CliRun run =
            runCli({"train", sourcePath("resources/examples/mnist_cnn.json"), "--data",
                    "synthetic:digits?count=400", "--epochs", "3", "--batch", "32", "--out", m_run,
                    "--json", "--resume", m_run + "/checkpoint.safetensors"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(run.out.split('\n', Qt::SkipEmptyParts).size(), 1); // only epoch 3 ran
        QCOMPARE(lastJson(run.out)["epoch"].toInt(), 3);
        QFile csv(m_run + "/metrics.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 4);
    }

    void probeAnEdge() {
        const QString npy = m_dir.filePath("conv1.npy");
        CliRun run = runCli({"probe", sourcePath("resources/examples/mnist_cnn.json"), "--weights",
                             m_run + "/checkpoint.safetensors", "--edge", "conv1:out", "--input",
                             "synthetic:digits?count=10#4", "--npy", npy, "--json"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QJsonObject stats = lastJson(run.out);
        QCOMPARE(stats["shape"].toArray(), QJsonArray({32, 24, 24}));
        QVERIFY(stats["min"].toDouble() >= 0.0); // after the fused relu
        QCOMPARE(stats["non_finite"].toInt(), 0);
        QFile file(npy);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("\x93NUMPY"));
        QVERIFY(bytes.contains("'shape': (1, 32, 24, 24)"));
        QCOMPARE(bytes.size() % 64, (32 * 24 * 24 * 4) % 64);
    }

    // A character-level run keeps its vocabulary; `sample` continues a prime from it.
    // The run's weights as a NumPy archive; NumPy reads it back where it is installed.
    void weightsAsNumpy() {
        const QString npz = m_dir.filePath("weights.npz");
        CliRun run = runCli({"weights", m_run + "/graph.json", "--weights",
                             m_run + "/checkpoint.safetensors", "--npz", npz});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("to " + npz), qPrintable(run.out));
        QFile file(npz);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("PK\x03\x04"));
        QVERIFY(bytes.contains("conv1.weight.npy"));
        QProcess python;
        python.start("/usr/bin/python3",
                     {"-c",
                      "import sys, numpy as np; z = np.load(sys.argv[1]); "
                      "print(len(z.files), z['conv1.weight'].shape, z['conv1.weight'].dtype)",
                      npz});
        if (!python.waitForFinished(60000) || python.exitCode() != 0)
            QSKIP("no python3 with NumPy to read the archive back");
        QCOMPARE(QString(python.readAllStandardOutput()).trimmed(),
                 QString("8 (32, 1, 5, 5) float32"));
    }

    // The run's network as ONNX (written atomically, its outputs and changes listed) and as a
    // PyTorch project.
    void exportOnnx() {
        const QString onnx = m_dir.filePath("run.onnx");
        CliRun run = runCli({"export", m_run + "/graph.json", "--weights",
                             m_run + "/checkpoint.safetensors", "--onnx", onnx});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("wrote " + onnx), qPrintable(run.out));
        QVERIFY2(run.out.contains("note: ") && run.out.contains("the loss is left out"),
                 qPrintable(run.out));
        QFile file(onnx);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.contains("NetCanvas"));    // producer_name
        QVERIFY(bytes.contains("conv1.weight")); // an initializer
        QVERIFY(bytes.size() > 32 * 25 * 4);     // holds the weights
        const QString project = m_dir.filePath("pytorch");
        CliRun pytorch = runCli({"export", m_run + "/graph.json", "--weights",
                                 m_run + "/checkpoint.safetensors", "--pytorch", project});
        QVERIFY2(pytorch.exitCode == 0, qPrintable(pytorch.err));
        for (const char* written : {"model.py", "weights.safetensors", "train.py", "graph.json"})
            QVERIFY2(QFile::exists(project + "/" + written), written);
        CliRun wrong =
            runCli({"export", sourcePath("resources/examples/mlp.json"), "--weights",
                    m_run + "/checkpoint.safetensors", "--onnx", m_dir.filePath("mlp.onnx")});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains("\"fc1.weight\" is 256x512"), qPrintable(wrong.err));
        QVERIFY(!QFile::exists(m_dir.filePath("mlp.onnx")));
    }

    // export --pytorch --data: the data as data.npz, read by train.py with no flags; a set
    // over the cap is refused before anything is written. A graph file named to break out of
    // a Python string gives a project that runs and executes nothing.
    void exportPytorchWithData() {
        const QString hostile = m_dir.filePath(R"(x""";open("PWNED","w");""".json)");
        QVERIFY(QFile::copy(m_run + "/graph.json", hostile));
        const QString project = m_dir.filePath("pytorch-data");
        CliRun run = runCli({"export", hostile, "--weights", m_run + "/checkpoint.safetensors",
                             "--pytorch", project, "--data", "synthetic:digits?count=64"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("data.npz"), qPrintable(run.out));
        QVERIFY(QFile::exists(project + "/data.npz"));

        CliRun huge =
            runCli({"export", hostile, "--weights", m_run + "/checkpoint.safetensors", "--pytorch",
                    m_dir.filePath("huge"), "--data", "synthetic:digits?count=10000000"});
        QCOMPARE(huge.exitCode, 1);
        QVERIFY2(huge.err.contains("estimated at") && huge.err.count('\n') == 1,
                 qPrintable(huge.err));
        QVERIFY(!QDir(m_dir.filePath("huge")).exists());
        CliRun alone = runCli({"export", hostile, "--weights", m_run + "/checkpoint.safetensors",
                               "--onnx", m_dir.filePath("alone.onnx"), "--data", "x:y"});
        QCOMPARE(alone.exitCode, 2);

        const char* python = "/usr/bin/python3";
        if (QProcess::execute(python, {"-c", "import torch, numpy"}) != 0)
            QSKIP("python3-torch or python3-numpy is not installed");
        QProcess train;
        train.setWorkingDirectory(project);
        train.setProcessChannelMode(QProcess::MergedChannels);
        train.start(python, {"-c", "import runpy, sys\n"
                                   "runpy.run_path('model.py', run_name='__main__')\n"
                                   "sys.argv = ['train.py', '--epochs', '1', '--batch', '32']\n"
                                   "runpy.run_path('train.py', run_name='__main__')\n"});
        QVERIFY(train.waitForFinished(300000));
        const QString log = QString::fromUtf8(train.readAll());
        QVERIFY2(train.exitCode() == 0 && log.contains("epoch 1/1"), qPrintable(log));
        QVERIFY2(log.contains("52 training and 12 validation samples"), qPrintable(log));
        QVERIFY(QDir(project).entryList({"*PWNED*"}).isEmpty());
        QVERIFY(QDir(m_dir.path()).entryList({"PWNED"}).isEmpty());
    }

    // A PyTorch export imported: the graph and its weights, which the graph then takes.
    void importOnnx() {
        const QString graph = m_dir.filePath("imported.json");
        const QString weights = m_dir.filePath("imported.safetensors");
        CliRun run = runCli({"import", sourcePath("tests/engine/fixtures/onnx/small_cnn.onnx"),
                             "--out", graph, "--weights", weights});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("imported 7 nodes"), qPrintable(run.out));
        CliRun npz = runCli(
            {"weights", graph, "--weights", weights, "--npz", m_dir.filePath("imported.npz")});
        QVERIFY2(npz.exitCode == 0, qPrintable(npz.err));
        CliRun junk =
            runCli({"import", sourcePath("tests/engine/fixtures/onnx/junk.onnx"), "--out",
                    m_dir.filePath("junk.json"), "--weights", m_dir.filePath("junk.safetensors")});
        QCOMPARE(junk.exitCode, 1);
        QVERIFY2(junk.err.contains("not an ONNX model"), qPrintable(junk.err));
        QVERIFY(!QFile::exists(m_dir.filePath("junk.json")));
        CliRun zero = runCli({"import", "/dev/zero", "--out", m_dir.filePath("zero.json"),
                              "--weights", m_dir.filePath("zero.safetensors")});
        QCOMPARE(zero.exitCode, 1);
        QVERIFY2(zero.err.contains("more than 64 MiB"), qPrintable(zero.err));
    }

    void weightsOfAnotherGraph() {
        CliRun run =
            runCli({"weights", sourcePath("resources/examples/mlp.json"), "--weights",
                    m_run + "/checkpoint.safetensors", "--npz", m_dir.filePath("mlp.npz")});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("\"fc1.weight\" is 256x512 but the graph needs 800x784"),
                 qPrintable(run.err));
        QVERIFY(!QFile::exists(m_dir.filePath("mlp.npz")));
    }

    void sampleFromATextRun() {
        const QString run = m_dir.filePath("chars");
        CliRun trained = runCli({"train", sourcePath("resources/examples/char_lstm.json"), "--data",
                                 "synthetic:text?count=200", "--epochs", "1", "--out", run});
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
        QVERIFY(QFile::exists(run + "/vocabulary.json"));
        CliRun sampled =
            runCli({"sample", run, "--prime", "The ", "--length", "40", "--seed", "3"});
        QVERIFY2(sampled.exitCode == 0, qPrintable(sampled.err));
        const QString text = sampled.out.chopped(1); // the final newline
        QVERIFY2(text.startsWith("The "), qPrintable(text));
        QCOMPARE(text.size(), 44);
        QCOMPARE(runCli({"sample", run, "--prime", "The ", "--length", "40", "--seed", "3"}).out,
                 sampled.out);
        // The same from the files named one by one.
        CliRun named =
            runCli({"sample", run + "/graph.json", "--weights", run + "/checkpoint.safetensors",
                    "--vocabulary", run + "/vocabulary.json", "--prime", "The ", "--length", "40",
                    "--seed", "3"});
        QCOMPARE(named.out, sampled.out);

        CliRun unknown = runCli({"sample", run, "--prime", "Zoo"});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains("the prime text: character 0, 'Z', is not in the vocabulary"),
                 qPrintable(unknown.err));
        QFile::remove(run + "/vocabulary.json");
        CliRun lost = runCli({"sample", run});
        QCOMPARE(lost.exitCode, 2);
        QVERIFY2(lost.err.contains("vocabulary.json"), qPrintable(lost.err));
        // A run of a network that does not write text.
        CliRun image =
            runCli({"sample", m_run + "/graph.json", "--weights", m_run + "/checkpoint.safetensors",
                    "--vocabulary", sourcePath("resources/examples/mlp.json")});
        QCOMPARE(image.exitCode, 1);
        QVERIFY2(image.err.contains("format"), qPrintable(image.err));
    }

    void bench() {
        CliRun run = runCli(
            {"bench", "--json", "--nets", "mlp,mnist_cnn", "--batch", "16", "--seconds", "0.05"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QJsonObject first = QJsonDocument::fromJson(lines[0].toUtf8()).object();
        QCOMPARE(first["net"].toString(), QString("mlp"));
        QCOMPARE(first["batch"].toInt(), 16);
        for (const char* key :
             {"threads", "train_images_per_s", "infer_images_per_s", "peak_rss_mb"})
            QVERIFY2(first[key].toDouble() > 0, key);
        QCOMPARE(first["feed"].toString(), QString("device"));
        // Batches uploaded from the host each step.
        CliRun host = runCli({"bench", "--json", "--nets", "mnist_cnn", "--batch", "16",
                              "--seconds", "0.05", "--feed", "host"});
        QVERIFY2(host.exitCode == 0, qPrintable(host.err));
        QJsonObject fed = QJsonDocument::fromJson(host.out.toUtf8()).object();
        QCOMPARE(fed["feed"].toString(), QString("host"));
        QVERIFY(fed["train_images_per_s"].toDouble() > 0);
        // Where the time goes: each layer of the mlp, in plan order, with its times.
        CliRun profiled = runCli({"bench", "--json", "--nets", "mlp", "--batch", "16", "--seconds",
                                  "0.05", "--profile"});
        QVERIFY2(profiled.exitCode == 0, qPrintable(profiled.err));
        const QJsonObject profile =
            QJsonDocument::fromJson(profiled.out.toUtf8()).object()["profile"].toObject();
        QVERIFY(profile["train_step_ms"].toDouble() > 0);
        QVERIFY(profile["infer_ms"].toDouble() > 0);
        QStringList layers;
        double opsMs = 0;
        for (const QJsonValue op : profile["ops"].toArray()) {
            layers << op["name"].toString() + ":" + op["op"].toString();
            QVERIFY(op["forward_ms"].toDouble() > 0 && op["infer_ms"].toDouble() > 0);
            opsMs += op["forward_ms"].toDouble() + op["backward_ms"].toDouble();
        }
        QCOMPARE(layers.join(" "), QString("drop_in:Dropout fc1:Dense drop1:Dropout fc2:Dense "
                                           "drop2:Dropout logits:Dense loss:SoftmaxCrossEntropy"));
        QVERIFY(opsMs < profile["train_step_ms"].toDouble());
        CliRun table =
            runCli({"bench", "--nets", "mlp", "--batch", "16", "--seconds", "0.05", "--profile"});
        QVERIFY2(table.out.contains("fc1") && table.out.contains("the rest: batch"),
                 qPrintable(table.out));
        CliRun bad = runCli({"bench", "--nets", "mlp", "--feed", "disk"});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--feed must be device or host, got 'disk'"),
                 qPrintable(bad.err));
    }

    void failures_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString cnn = sourcePath("resources/examples/mnist_cnn.json");
        QTest::newRow("wrong data shape")
            << QStringList{"train",  cnn,
                           "--data", "synthetic:shapes?count=4",
                           "--out",  m_dir.filePath("x")}
            << 1 << "gives 3x64x64 samples, but the graph's Input expects 1x28x28";
        QTest::newRow("bad number") << QStringList{"train", cnn, "--epochs", "many"} << 2
                                    << "--epochs expects an integer in 1..100000, got 'many'";
        QTest::newRow("bad optimizer") << QStringList{"train", cnn, "--optimizer", "lbfgs"} << 2
                                       << "--optimizer must be sgd, momentum, nesterov or adam";
        // cuda:9 is refused everywhere: no plugin, no driver, no GPU, or too few GPUs.
        QTest::newRow("no such gpu")
            << QStringList{"train", cnn, "--device", "cuda:9"} << 2 << "; use --device cpu";
        QTest::newRow("unknown option")
            << QStringList{"train", cnn, "--epoch", "3"} << 2 << "unknown option '--epoch'";
        QTest::newRow("invalid graph")
            << QStringList{"train", sourcePath("tests/graph_model/malformed/cycle.json")} << 1
            << "would make a loop";
        QTest::newRow("probe unknown edge")
            << QStringList{"probe",  cnn,     "--weights", "x",
                           "--edge", "conv9", "--input",   "synthetic:digits#0"}
            << 2 << "no node named or numbered \"conv9\"";
        QTest::newRow("probe bad weights")
            << QStringList{"probe",  cnn,     "--weights", "/nonexistent.safetensors",
                           "--edge", "conv1", "--input",   "synthetic:digits#0"}
            << 2 << "cannot open /nonexistent.safetensors";
        QTest::newRow("probe without index")
            << QStringList{"probe",  cnn,     "--weights", "x",
                           "--edge", "conv1", "--input",   "synthetic:digits"}
            << 2 << "--input needs SPEC#INDEX";
    }

    void failures() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        CliRun run = runCli(args);
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }

    void helpForEveryCommand() {
        for (const char* command :
             {"train", "probe", "bench", "check", "sample", "weights", "export", "import"}) {
            CliRun run = runCli({command, "--help"});
            QCOMPARE(run.exitCode, 0);
            QVERIFY2(run.out.startsWith(QString("usage: netcanvas-cli ") + command), command);
        }
    }
};

QTEST_GUILESS_MAIN(CliTrainTest)
#include "tst_clitrain.moc"
