// The run folder as `netcanvas-cli train` leaves it: fresh default names, refusals, one
// training per folder, Ctrl-C before anything was saved, bad checkpoints, and a SIGKILL at a
// random point of a run, after which metrics.csv matches the checkpoint and resuming finishes
// the run without leftovers. And a run folder trusts nothing it did not write: links, file
// names and rows in a checkpoint's metadata, another run's folder, an earlier backup.

#include "clirunner.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <QtEndian>
#include <QtTest>

#include <csignal>

using nc::test::CliRun;
using nc::test::runCli;
using nc::test::sourcePath;

namespace {

QString cnn() {
    return sourcePath("resources/examples/mnist_cnn.json");
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Epochs in metrics.csv (lines after the header).
int metricsRows(const QString& run) {
    const QByteArray csv = readAll(run + "/metrics.csv");
    return csv.isEmpty() ? -1 : int(csv.count('\n')) - 1;
}

QJsonObject runJson(const QString& run) {
    return QJsonDocument::fromJson(readAll(run + "/run.json")).object();
}

// A safetensors file is an 8-byte little-endian header length, a JSON header, then data.
QJsonObject checkpointHeader(const QByteArray& bytes) {
    const quint64 length = qFromLittleEndian<quint64>(bytes.constData());
    return QJsonDocument::fromJson(bytes.mid(8, qsizetype(length))).object();
}

int checkpointEpoch(const QString& path) {
    const QString epoch =
        checkpointHeader(readAll(path))["__metadata__"].toObject()["epoch"].toString();
    bool ok = false;
    const int value = epoch.toInt(&ok);
    return ok ? value : -1;
}

// The checkpoint with another value of `key` in its metadata (as a hostile file would have).
QByteArray withMetadata(const QByteArray& checkpoint, const QString& key, const QString& value) {
    const quint64 length = qFromLittleEndian<quint64>(checkpoint.constData());
    QJsonObject header = checkpointHeader(checkpoint);
    QJsonObject metadata = header["__metadata__"].toObject();
    metadata[key] = value;
    header["__metadata__"] = metadata;
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    json.append(QByteArray((8 - json.size() % 8) % 8, ' '));
    QByteArray out(8, '\0');
    qToLittleEndian<quint64>(quint64(json.size()), out.data());
    return out + json + checkpoint.mid(8 + qsizetype(length));
}

// Waits until `done` holds while `process` runs; false if it ended or took too long.
template <typename Done> bool waitWhileRunning(QProcess& process, Done done) {
    QDeadlineTimer deadline(120000);
    while (!done()) {
        if (process.state() == QProcess::NotRunning || deadline.hasExpired())
            return false;
        QThread::msleep(5);
    }
    return true;
}

QStringList trainArgs(const QString& data, int epochs) {
    return {"train", cnn(), "--data", data, "--epochs", QString::number(epochs), "--batch", "32"};
}

// The small MLP, for the many short runs of the hostile cases.
QStringList mlpArgs(int epochs) {
    return {"train",    sourcePath("resources/examples/mlp.json"),
            "--data",   "synthetic:digits?count=64",
            "--epochs", QString::number(epochs),
            "--batch",  "32"};
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

// Every file of a folder (not following links) with its bytes, to show nothing changed.
QMap<QString, QByteArray> snapshot(const QString& folder) {
    QMap<QString, QByteArray> files;
    for (const QFileInfo& info : QDir(folder).entryInfoList(QDir::Files | QDir::Hidden |
                                                            QDir::System | QDir::NoSymLinks))
        files[info.fileName()] = readAll(info.filePath());
    return files;
}

} // namespace

class CliRunFolderTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void defaultFoldersAreFresh() {
        const QString cwd = m_dir.filePath("cwd");
        QVERIFY(QDir().mkpath(cwd));
        const QStringList args = trainArgs("synthetic:digits?count=40", 1) << "--json";
        const CliRun first = runCli(args, 120000, cwd);
        const CliRun second = runCli(args, 120000, cwd);
        QVERIFY2(first.exitCode == 0 && second.exitCode == 0, qPrintable(first.err + second.err));
        const QStringList runs = QDir(cwd + "/runs").entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QCOMPARE(runs.size(), 2);
        for (const QString& name : runs) {
            QVERIFY2(QRegularExpression("^mnist_cnn-\\d{8}-\\d{6}(-\\d+)?$").match(name).hasMatch(),
                     qPrintable(name));
            QVERIFY(QFile::exists(cwd + "/runs/" + name + "/checkpoint.safetensors"));
            QVERIFY2((first.err + second.err).contains("run folder: runs/" + name + "\n"),
                     qPrintable(first.err + second.err));
        }
    }

    void aFolderThatHoldsARunIsRefused() {
        const QString run = m_dir.filePath("kept");
        const CliRun trained = runCli(trainArgs("synthetic:digits?count=40", 1) << "--out" << run);
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
        const QByteArray metrics = readAll(run + "/metrics.csv");
        const CliRun again = runCli(trainArgs("synthetic:digits?count=40", 1) << "--out" << run);
        QCOMPARE(again.exitCode, 2);
        QVERIFY2(again.err.contains("run folder " + run +
                                    " already holds files; a new run never replaces an old one"),
                 qPrintable(again.err));
        QCOMPARE(readAll(run + "/metrics.csv"), metrics);
        QCOMPARE(runJson(run)["status"].toString(), QString("completed"));
        QCOMPARE(runJson(run)["epochs_done"].toInt(), 1);
    }

    void badCheckpointEpochs_data() {
        QTest::addColumn<QString>("epoch");
        QTest::addColumn<QString>("message");
        QTest::newRow("huge") << "99999999999999999999"
                              << "metadata \"epoch\": 99999999999999999999 is out of range";
        QTest::newRow("words") << "three"
                               << "metadata \"epoch\": \"three\" is not a whole number";
        QTest::newRow("negative") << "-1" << "metadata \"epoch\": -1 is outside 0..2147483647";
    }

    void badCheckpointEpochs() {
        QFETCH(QString, epoch);
        QFETCH(QString, message);
        const QByteArray good = readAll(m_dir.filePath("kept/checkpoint.safetensors"));
        QVERIFY(!good.isEmpty());
        const QString bad = m_dir.filePath("bad-" + epoch + ".safetensors");
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(withMetadata(good, "epoch", epoch));
        file.close();
        QCOMPARE(checkpointEpoch(m_dir.filePath("kept/checkpoint.safetensors")), 1);
        const QString run = m_dir.filePath("resumed-" + epoch);
        const CliRun resumed = runCli(trainArgs("synthetic:digits?count=40", 2)
                                      << "--resume" << bad << "--out" << run);
        QCOMPARE(resumed.exitCode, 1);
        QVERIFY2(resumed.err.contains(bad + ": " + message), qPrintable(resumed.err));
        QVERIFY(!QDir(run).exists()); // refused before anything was written
    }

    void oneTrainingPerFolder() {
        const QString run = m_dir.filePath("busy");
        QProcess first;
        first.start(nc::test::cliPath(),
                    trainArgs("synthetic:digits?count=2000", 1000) << "--out" << run);
        QVERIFY(waitWhileRunning(first, [&] { return QFile::exists(run + "/run.json"); }));
        const qint64 pid = first.processId();
        const CliRun second = runCli(trainArgs("synthetic:digits?count=40", 1) << "--out" << run);
        const CliRun resumed = runCli(trainArgs("synthetic:digits?count=40", 1)
                                      << "--out" << run << "--resume"
                                      << m_dir.filePath("kept/checkpoint.safetensors"));
        first.kill();
        QVERIFY(first.waitForFinished());
        const QString expected = "run folder " + run + " is in use by another training (pid " +
                                 QString::number(pid) + ")";
        QCOMPARE(second.exitCode, 2);
        QVERIFY2(second.err.contains(expected), qPrintable(second.err));
        QCOMPARE(resumed.exitCode, 2);
        QVERIFY2(resumed.err.contains(expected), qPrintable(resumed.err));
    }

    void interruptBeforeTheFirstEpoch() {
        const QString run = m_dir.filePath("interrupted");
        QProcess training;
        training.start(nc::test::cliPath(),
                       trainArgs("synthetic:digits?count=4000", 2) << "--out" << run);
        QVERIFY(waitWhileRunning(training, [&] { return QFile::exists(run + "/run.json"); }));
        ::kill(pid_t(training.processId()), SIGINT);
        QVERIFY(training.waitForFinished(120000));
        const QString err = QString::fromUtf8(training.readAllStandardError());
        QCOMPARE(training.exitCode(), 2);
        QVERIFY2(err.contains("interrupted before the first epoch finished; no epoch completed "
                              "and nothing was saved"),
                 qPrintable(err));
        QVERIFY2(!err.contains("checkpoint.safetensors"), qPrintable(err));
        QVERIFY(!QFile::exists(run + "/checkpoint.safetensors"));
        QCOMPARE(metricsRows(run), 0);
        QCOMPARE(runJson(run)["status"].toString(), QString("stopped"));
        QCOMPARE(runJson(run)["epochs_done"].toInt(), 0);
    }

    void killedRunResumesConsistently() {
        const QString run = m_dir.filePath("killed");
        const QString checkpoint = run + "/checkpoint.safetensors";
        const QStringList args = trainArgs("synthetic:digits?count=1200", 3) << "--json";
        QProcess training;
        training.start(nc::test::cliPath(), QStringList(args) << "--out" << run);
        // Kill right after the first epoch is committed, somewhere in the second.
        QVERIFY(waitWhileRunning(training, [&] {
            return QFile::exists(checkpoint) && metricsRows(run) >= 1;
        }));
        training.kill();
        QVERIFY(training.waitForFinished());
        QCOMPARE(training.exitStatus(), QProcess::CrashExit);
        const int epoch = checkpointEpoch(checkpoint);
        QVERIFY2(epoch >= 1 && epoch < 3, qPrintable(QString::number(epoch)));
        QCOMPARE(metricsRows(run), epoch);
        QCOMPARE(runJson(run)["status"].toString(), QString("running")); // killed outright
        QFile leftover(run + "/metrics.csv.nctmp-Ab12Cd"); // as a kill mid-write leaves it
        QVERIFY(leftover.open(QIODevice::WriteOnly));
        leftover.close();

        // --resume without --out continues in the checkpoint's folder.
        const CliRun resumed = runCli(QStringList(args) << "--resume" << checkpoint);
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QCOMPARE(resumed.out.split('\n', Qt::SkipEmptyParts).size(), 3 - epoch);
        QCOMPARE(metricsRows(run), 3);
        QCOMPARE(checkpointEpoch(checkpoint), 3);
        const QJsonObject info = runJson(run);
        QCOMPARE(info["status"].toString(), QString("completed"));
        QCOMPARE(info["epochs_done"].toInt(), 3);
        QCOMPARE(info["resumed_from_epoch"].toInt(), epoch);
        QVERIFY(QDir(run).entryList({"*.nctmp-*"}, QDir::AllEntries | QDir::Hidden).isEmpty());
        const QStringList events = QDir(run).entryList({"events.out.tfevents.*"});
        QCOMPARE(events.size(), 1); // continued, not a second file
        QCOMPARE(info["events"].toString(), events.first());
    }

    // A link in a run folder is never followed: the outside file it names stays as it was.
    void linksInARunFolderAreRefused_data() {
        QTest::addColumn<QString>("linkName");
        QTest::newRow("lock") << ".lock";
        QTest::newRow("event file") << "EVENTS";
        QTest::newRow("metrics") << "metrics.csv";
    }

    void linksInARunFolderAreRefused() {
        QFETCH(QString, linkName);
        const QString run = m_dir.filePath("linked-" + QString(QTest::currentDataTag()));
        QVERIFY2(runCli(mlpArgs(1) << "--out" << run).exitCode == 0, "the run trains");
        const QString name = linkName == "EVENTS"
                                 ? QDir(run).entryList({"events.out.tfevents.*"}).value(0)
                                 : linkName;
        QVERIFY(!name.isEmpty());
        const QString outside = m_dir.filePath("outside-" + QString(QTest::currentDataTag()));
        writeFile(outside, "a file of the user's, outside the run\n");
        QFile::remove(run + "/" + name);
        QVERIFY(QFile::link(outside, run + "/" + name));
        const CliRun resumed =
            runCli(mlpArgs(2) << "--resume" << run + "/checkpoint.safetensors");
        QCOMPARE(resumed.exitCode, 2);
        QVERIFY2(resumed.err.contains("holds a symbolic link, " + name +
                                      "; a run folder follows no links"),
                 qPrintable(resumed.err));
        QCOMPARE(readAll(outside), QByteArray("a file of the user's, outside the run\n"));
    }

    // Names and rows in a checkpoint's metadata are used only when they are NetCanvas's own:
    // resuming never turns graph.json, a user's notes or the checkpoint into an event file,
    // and a row with newlines never reaches metrics.csv.
    void checkpointMetadataIsNotTrusted_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::newRow("events: graph.json") << "run.events_file" << "graph.json";
        QTest::newRow("events: notes.txt") << "run.events_file" << "notes.txt";
        QTest::newRow("events: the checkpoint") << "run.events_file" << "checkpoint.safetensors";
        QTest::newRow("events: metrics.csv") << "run.events_file" << "metrics.csv";
        QTest::newRow("events: up and out") << "run.events_file" << "../outside.txt";
        QTest::newRow("row with newlines")
            << "run.metrics_row" << "1,0.5,0.5,,,1,1,0.01\n99,injected,,,,,,\n";
    }

    void checkpointMetadataIsNotTrusted() {
        QFETCH(QString, key);
        QFETCH(QString, value);
        const QString run = m_dir.filePath("meta-" + QString::number(qHash(value)));
        QVERIFY2(runCli(mlpArgs(1) << "--out" << run).exitCode == 0, "the run trains");
        writeFile(run + "/notes.txt", "the user's notes\n");
        writeFile(run + "/notes.tmp-backup", "the user's backup\n");
        writeFile(run + "/metrics.csv.tmp-backup", "the user's metrics backup\n");
        writeFile(m_dir.filePath("outside.txt"), "outside\n");
        const QString hostile = run + "/checkpoint.safetensors"; // the run's own, edited
        writeFile(hostile, withMetadata(readAll(hostile), key, value));
        QFile::remove(run + "/metrics.csv"); // so that a resume takes the checkpoint's row
        const QByteArray graph = readAll(run + "/graph.json");
        const CliRun resumed = runCli(mlpArgs(2) << "--resume" << hostile);
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QCOMPARE(readAll(run + "/graph.json"), graph);
        QCOMPARE(readAll(run + "/notes.txt"), QByteArray("the user's notes\n"));
        QCOMPARE(readAll(run + "/notes.tmp-backup"), QByteArray("the user's backup\n"));
        QCOMPARE(readAll(run + "/metrics.csv.tmp-backup"),
                 QByteArray("the user's metrics backup\n"));
        QCOMPARE(readAll(m_dir.filePath("outside.txt")), QByteArray("outside\n"));
        QCOMPARE(checkpointEpoch(run + "/checkpoint.safetensors"), 2);
        const QByteArray metrics = readAll(run + "/metrics.csv");
        QVERIFY2(!metrics.contains("injected"), metrics.constData());
        // Epoch 1's row comes back from the checkpoint when it is a row; never the injected one.
        QCOMPARE(metricsRows(run), key == "run.metrics_row" ? 1 : 2);
        QVERIFY(runJson(run)["events"].toString().startsWith("events.out.tfevents."));
    }

    // --resume B/checkpoint --out A, where A holds another run: refused, A untouched.
    void anotherRunsFolderIsRefused() {
        const QString a = m_dir.filePath("run-a"), b = m_dir.filePath("run-b");
        QVERIFY2(runCli(mlpArgs(2) << "--out" << a).exitCode == 0, "run A trains");
        QVERIFY2(runCli(mlpArgs(1) << "--out" << b).exitCode == 0, "run B trains");
        const QMap<QString, QByteArray> before = snapshot(a);
        const CliRun resumed = runCli(mlpArgs(3) << "--resume" << b + "/checkpoint.safetensors"
                                                 << "--out" << a << "--force");
        QCOMPARE(resumed.exitCode, 2);
        QVERIFY2(resumed.err.contains(a + " holds another run"), qPrintable(resumed.err));
        QCOMPARE(snapshot(a), before);
        // An empty folder may take a copy of B's run.
        const QString c = m_dir.filePath("run-c");
        const CliRun copied = runCli(mlpArgs(2) << "--resume" << b + "/checkpoint.safetensors"
                                                << "--out" << c);
        QVERIFY2(copied.exitCode == 0, qPrintable(copied.err));
        QCOMPARE(metricsRows(c), 2);
    }

    // A backup of epoch 1 of a run now at epoch 2 would cut the run back: only with --force.
    void anEarlierBackupCutsBackOnlyWhenForced() {
        const QString run = m_dir.filePath("backed-up");
        QVERIFY2(runCli(mlpArgs(1) << "--out" << run).exitCode == 0, "epoch 1 trains");
        const QString backup = m_dir.filePath("backup-epoch1.safetensors");
        QVERIFY(QFile::copy(run + "/checkpoint.safetensors", backup));
        QVERIFY2(runCli(mlpArgs(2) << "--resume" << run + "/checkpoint.safetensors").exitCode ==
                     0,
                 "epoch 2 trains");
        const QMap<QString, QByteArray> before = snapshot(run);
        const CliRun refused = runCli(mlpArgs(3) << "--resume" << backup << "--out" << run);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(run + " holds 2 epochs of this run; resuming from epoch 1 "
                                            "of " + backup + " drops epoch 2"),
                 qPrintable(refused.err));
        QVERIFY2(refused.err.contains("pass --force"), qPrintable(refused.err));
        QCOMPARE(snapshot(run), before);
        const CliRun forced =
            runCli(mlpArgs(3) << "--resume" << backup << "--out" << run << "--force");
        QVERIFY2(forced.exitCode == 0, qPrintable(forced.err));
        QCOMPARE(runJson(run)["resumed_from_epoch"].toInt(), 1);
        QCOMPARE(metricsRows(run), 3);
    }
};

QTEST_GUILESS_MAIN(CliRunFolderTest)
#include "tst_clirunfolder.moc"
