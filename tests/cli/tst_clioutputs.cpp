// A command never destroys what it did not create: every output of import, export, weights,
// visualize and probe is checked before any is written. An existing file is replaced only
// with --force; one of the command's own inputs, a read-only file, a folder or a device is
// never replaced; a FIFO or character device is written through or refused. Each case makes
// its own files and checks, byte for byte, that the user's files are as they were.

#include "clirunner.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using nc::test::CliRun;
using nc::test::runCli;
using nc::test::sourcePath;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

QString mlp() {
    return sourcePath("resources/examples/mlp.json");
}

} // namespace

class CliOutputsTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_graph, m_weights, m_onnx;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_graph = path("mlp.json");
        QVERIFY(QFile::copy(mlp(), m_graph));
        const CliRun trained = runCli({"train", m_graph, "--data", "synthetic:digits?count=64",
                                       "--epochs", "1", "--out", path("run")});
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
        m_weights = path("run/checkpoint.safetensors");
        m_onnx = path("mlp.onnx");
        const CliRun exported =
            runCli({"export", m_graph, "--weights", m_weights, "--onnx", m_onnx});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    }

    // Each row: a command whose output is an existing file. Without --force it is refused and
    // the file keeps its bytes; `input` rows name one of the command's own inputs, refused
    // even with --force.
    void existingOutputs_data() {
        QTest::addColumn<QStringList>("args"); // OUT stands for the output's path
        QTest::addColumn<QString>("option");
        QTest::addColumn<bool>("input");
        QTest::newRow("weights --npz") << QStringList{"weights", "GRAPH", "--weights", "WEIGHTS",
                                                      "--npz", "OUT"}
                                       << "--npz" << false;
        QTest::newRow("weights --npz the checkpoint")
            << QStringList{"weights", "GRAPH", "--weights", "WEIGHTS", "--npz", "WEIGHTS"}
            << "--npz" << true;
        QTest::newRow("export --onnx") << QStringList{"export", "GRAPH", "--weights", "WEIGHTS",
                                                      "--onnx", "OUT"}
                                       << "--onnx" << false;
        QTest::newRow("export --onnx the graph")
            << QStringList{"export", "GRAPH", "--weights", "WEIGHTS", "--onnx", "GRAPH"}
            << "--onnx" << true;
        QTest::newRow("export --onnx the weights")
            << QStringList{"export", "GRAPH", "--weights", "WEIGHTS", "--onnx", "WEIGHTS"}
            << "--onnx" << true;
        QTest::newRow("probe --npy the checkpoint")
            << QStringList{"probe",   "GRAPH",  "--weights",          "WEIGHTS",
                           "--edge",  "fc1", "--input",            "synthetic:digits#0",
                           "--npy",   "WEIGHTS"}
            << "--npy" << true;
        QTest::newRow("probe --npy") << QStringList{"probe",  "GRAPH",  "--weights",
                                                    "WEIGHTS", "--edge", "fc1",
                                                    "--input", "synthetic:digits#0", "--npy",
                                                    "OUT"}
                                     << "--npy" << false;
        QTest::newRow("visualize --out the checkpoint")
            << QStringList{"visualize", "filters", "GRAPH", "--weights", "WEIGHTS", "--layer",
                           "fc1", "--out", "WEIGHTS"}
            << "--out" << true;
        QTest::newRow("visualize --out") << QStringList{"visualize", "filters", "GRAPH",
                                                        "--weights", "WEIGHTS", "--layer", "fc1",
                                                        "--out", "OUT"}
                                         << "--out" << false;
        QTest::newRow("import --out the model")
            << QStringList{"import", "ONNX", "--out", "ONNX", "--weights", "NEW"} << "--out"
            << true;
        QTest::newRow("import --weights") << QStringList{"import", "ONNX", "--out", "NEW",
                                                         "--weights", "OUT"}
                                          << "--weights" << false;
    }

    void existingOutputs() {
        QFETCH(QStringList, args);
        QFETCH(QString, option);
        QFETCH(bool, input);
        const QString tag = QString::number(qHash(QString(QTest::currentDataTag())));
        const QString out = path("existing-" + tag);
        const QString fresh = path("new-" + tag);
        writeFile(out, "a file of the user's\n");
        for (QString& a : args)
            a = a == "GRAPH"     ? m_graph
                : a == "WEIGHTS" ? m_weights
                : a == "ONNX"    ? m_onnx
                : a == "OUT"     ? out
                : a == "NEW"     ? fresh
                                 : a;
        const QMap<QString, QByteArray> before = {{m_graph, readAll(m_graph)},
                                                  {m_weights, readAll(m_weights)},
                                                  {m_onnx, readAll(m_onnx)},
                                                  {out, readAll(out)}};
        for (bool force : {false, true}) {
            const CliRun run = runCli(force ? QStringList(args) << "--force" : args);
            if (force && !input) {
                QVERIFY2(run.exitCode == 0, qPrintable(run.err));
                QVERIFY(readAll(out) != before[out]); // replaced, as asked
                continue;
            }
            QCOMPARE(run.exitCode, 2);
            QCOMPARE(run.err.count('\n'), 1);
            QVERIFY2(run.err.contains(option), qPrintable(run.err));
            QVERIFY2(run.err.contains(input ? "an input of this command"
                                            : "exists; pass --force to replace it"),
                     qPrintable(run.err));
            for (auto it = before.begin(); it != before.end(); ++it)
                QVERIFY2(readAll(it.key()) == it.value(), qPrintable(it.key()));
            QVERIFY(!QFile::exists(fresh)); // nothing written before the refusal
        }
    }

    // A second name for the same file is caught too: a hard link to the graph.
    void aHardLinkToAnInputIsTheInput() {
        const QString link = path("graph-hardlink.json");
        QVERIFY(::link(QFile::encodeName(m_graph).constData(), QFile::encodeName(link).constData()) == 0);
        const QByteArray graph = readAll(m_graph);
        const CliRun run = runCli({"export", m_graph, "--weights", m_weights, "--onnx", link,
                                   "--force"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("is GRAPH"), qPrintable(run.err));
        QCOMPARE(readAll(m_graph), graph);
    }

    void twoOutputsOfOneName() {
        const QString same = path("same");
        const CliRun run = runCli({"import", m_onnx, "--out", same, "--weights", same});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--out and --weights both name " + same), qPrintable(run.err));
        QVERIFY(!QFile::exists(same));
    }

    // The graph goes where it cannot be written: the weights are not written either.
    void everyOutputIsCheckedBeforeAnyIsWritten_data() {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("message");
        QTest::newRow("a file, not a folder") << "plain-file" << "is not a folder";
        QTest::newRow("a missing folder") << "missing/deeper" << "cannot be reached";
        QTest::newRow("a read-only folder") << "locked" << "cannot write in the folder";
    }

    void everyOutputIsCheckedBeforeAnyIsWritten() {
        QFETCH(QString, folder);
        QFETCH(QString, message);
        const QString where = path(folder);
        if (folder == "locked") {
            if (::geteuid() == 0)
                QSKIP("root may write in a read-only folder");
            QVERIFY(QDir().mkpath(where));
            QVERIFY(::chmod(QFile::encodeName(where).constData(), 0555) == 0);
        } else if (folder == "plain-file") {
            writeFile(where, "a file\n");
        }
        const QString weights = path("import-weights.safetensors");
        writeFile(weights, "the user's weights\n");
        const CliRun run = runCli({"import", m_onnx, "--weights", weights, "--out",
                                   where + "/g.json", "--force"});
        ::chmod(QFile::encodeName(where).constData(), 0755);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("--out " + where + "/g.json") && run.err.contains(message),
                 qPrintable(run.err));
        QCOMPARE(readAll(weights), QByteArray("the user's weights\n"));
    }

    // --pytorch DIR: a user's README.md there is kept; with --force a read-only train.py is
    // still kept, and nothing of the project is written.
    void pytorchFolderKeepsTheUsersFiles() {
        const QString dir = path("project");
        QVERIFY(QDir().mkpath(dir));
        writeFile(dir + "/README.md", "my readme\n");
        const QStringList args = {"export", m_graph, "--weights", m_weights, "--pytorch", dir};
        const CliRun refused = runCli(args);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("README.md in --pytorch " + dir + "/README.md: exists"),
                 qPrintable(refused.err));
        QCOMPARE(readAll(dir + "/README.md"), QByteArray("my readme\n"));
        QVERIFY(!QFile::exists(dir + "/model.py"));

        writeFile(dir + "/train.py", "my script\n");
        QVERIFY(::chmod(QFile::encodeName(dir + "/train.py").constData(), 0444) == 0);
        const CliRun readOnly = runCli(QStringList(args) << "--force");
        QCOMPARE(readOnly.exitCode, 2);
        QVERIFY2(readOnly.err.contains("is read-only"), qPrintable(readOnly.err));
        QCOMPARE(readAll(dir + "/train.py"), QByteArray("my script\n"));
        QCOMPARE(readAll(dir + "/README.md"), QByteArray("my readme\n"));
        QVERIFY(!QFile::exists(dir + "/model.py"));

        QVERIFY(::chmod(QFile::encodeName(dir + "/train.py").constData(), 0644) == 0);
        const CliRun forced = runCli(QStringList(args) << "--force");
        QVERIFY2(forced.exitCode == 0, qPrintable(forced.err));
        QVERIFY(QFile::exists(dir + "/model.py"));
    }

    // Not a regular file: a FIFO nobody reads is refused at once (no hang) and stays a FIFO; a
    // character device is written through, never replaced by a file; a folder is refused.
    void pathsThatAreNotFiles() {
        const QString fifo = path("fifo");
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0644) == 0);
        QElapsedTimer clock;
        clock.start();
        const CliRun toFifo = runCli({"weights", m_graph, "--weights", m_weights, "--npz", fifo},
                                     30000);
        QCOMPARE(toFifo.exitCode, 2);
        QVERIFY2(toFifo.err.contains("nothing reads from it"), qPrintable(toFifo.err));
        QVERIFY(clock.elapsed() < 20000);
        struct stat info {};
        QVERIFY(::lstat(QFile::encodeName(fifo).constData(), &info) == 0 && S_ISFIFO(info.st_mode));

        const CliRun toNull =
            runCli({"weights", m_graph, "--weights", m_weights, "--npz", "/dev/null"});
        QVERIFY2(toNull.exitCode == 0, qPrintable(toNull.err));
        QVERIFY(::lstat("/dev/null", &info) == 0 && S_ISCHR(info.st_mode));
        if (QFile::exists("/dev/full")) {
            const CliRun toFull =
                runCli({"export", m_graph, "--weights", m_weights, "--onnx", "/dev/full"});
            QCOMPARE(toFull.exitCode, 2);
            QVERIFY2(toFull.err.contains("/dev/full"), qPrintable(toFull.err));
            QVERIFY(::lstat("/dev/full", &info) == 0 && S_ISCHR(info.st_mode));
        }
        const CliRun toFolder =
            runCli({"weights", m_graph, "--weights", m_weights, "--npz", m_dir.path(), "--force"});
        QCOMPARE(toFolder.exitCode, 2);
        QVERIFY2(toFolder.err.contains("is a folder"), qPrintable(toFolder.err));
    }

    // A link is never followed: with --force the new file takes the link's place and the file
    // it named keeps its bytes.
    void aLinkIsReplacedNotFollowed() {
        const QString target = path("link-target.npz");
        const QString link = path("link.npz");
        writeFile(target, "old\n");
        QVERIFY(QFile::link(target, link));
        const CliRun refused = runCli({"weights", m_graph, "--weights", m_weights, "--npz", link});
        QCOMPARE(refused.exitCode, 2);
        const CliRun run =
            runCli({"weights", m_graph, "--weights", m_weights, "--npz", link, "--force"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(!QFileInfo(link).isSymLink());
        QVERIFY(readAll(link).startsWith("PK"));
        QCOMPARE(readAll(target), QByteArray("old\n"));
    }

    // A --pytorch folder that does not exist yet is created, written with a trailing slash too.
    void aNewPytorchFolder() {
        const QString dir = path("fresh/project/");
        const CliRun run =
            runCli({"export", m_graph, "--weights", m_weights, "--pytorch", dir});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(QFile::exists(dir + "model.py"));
    }

    // A file inside a folder the command reads as data is refused, even with --force.
    void anOutputInsideADataFolder() {
        const QString data = path("images");
        QVERIFY(QDir().mkpath(data + "/cats"));
        writeFile(data + "/cats/notes.npy", "the user's file\n");
        const CliRun run = runCli({"probe", m_graph, "--weights", m_weights, "--edge", "fc1",
                                   "--input", "images:" + data + "#0", "--npy",
                                   data + "/cats/notes.npy", "--force"});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("is inside " + data), qPrintable(run.err));
        QCOMPARE(readAll(data + "/cats/notes.npy"), QByteArray("the user's file\n"));
    }
};

QTEST_GUILESS_MAIN(CliOutputsTest)
#include "tst_clioutputs.moc"
