// The window: a bad file leaves the open document as it was; saving is atomic and clears the
// modified marker. Crash recovery: each window has its own locked recovery file; orphans are
// offered (restore, discard, later) and never lost; the real app is killed and started again
// with arguments, run twice at once, and run for a screenshot.

#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/mainwindow.h"
#include "ui/graphscene.h"
#include "ui/orphanedrecovery.h"
#include "ui/recoveryoffer.h"

#include "graph_model/graphjson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace nc::graph;
using namespace nc::ui;

namespace {

constexpr int kAppTimeoutMs = 60'000; // a cold start on a busy 2-core machine

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

// A recovery file in the format every version writes: {"original_path", "graph"}.
QByteArray recoveryText(const std::string& graphJson, const QString& originalPath) {
    QJsonObject root;
    root["original_path"] = originalPath;
    root["graph"] = QString::fromStdString(graphJson);
    return QJsonDocument(root).toJson();
}

QJsonObject readRecovery(const QString& path) {
    return QJsonDocument::fromJson(readAll(path)).object();
}

// The pid of a process that has ended.
qint64 deadPid() {
    QProcess process;
    process.start("true", QStringList());
    process.waitForStarted();
    const qint64 pid = process.processId();
    process.waitForFinished();
    return pid;
}

// A lock as QLockFile writes it: pid, application, host.
void writeLock(const QString& path, qint64 pid, const QString& app) {
    writeFile(path, QByteArray::number(pid) + '\n' + app.toUtf8() + '\n' +
                        QSysInfo::machineHostName().toUtf8() + '\n');
}

// What a crashed session leaves behind: its recovery file and the lock of a dead process.
QString writeOrphan(const QString& dir, const std::string& graphJson, const QString& original) {
    QDir().mkpath(dir);
    const qint64 pid = deadPid();
    const QString path = QDir(dir).filePath(QStringLiteral("recovery-%1-1.json").arg(pid));
    writeFile(path, recoveryText(graphJson, original));
    writeLock(path + ".lock", pid, "netcanvas");
    return path;
}

// The files `recovery-<pid>-*<suffix>` in `dir`.
QStringList filesOf(const QString& dir, qint64 pid, const QString& suffix) {
    return QDir(dir).entryList({QStringLiteral("recovery-%1-*%2").arg(pid).arg(suffix)},
                               QDir::Files, QDir::Name);
}

// The built app, with its data and settings in `home`, answering every recovery offer with
// `answer` (the NETCANVAS_RECOVERY_ANSWER test hook).
std::unique_ptr<QProcess> startApp(const QTemporaryDir& home, const QString& answer,
                                   const QStringList& arguments) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOME", home.path());
    env.insert("XDG_DATA_HOME", home.filePath("data"));
    env.insert("XDG_CONFIG_HOME", home.filePath("config"));
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("NETCANVAS_RECOVERY_ANSWER", answer);
    auto app = std::make_unique<QProcess>();
    app->setProcessEnvironment(env);
    app->setProcessChannelMode(QProcess::ForwardedChannels);
    app->start(NC_NETCANVAS_PATH, arguments);
    return app;
}

// Where the app keeps recovery files for `home` (AppDataLocation: organisation/application).
QString appRecoveryDir(const QTemporaryDir& home) {
    return home.filePath("data/NetCanvas/NetCanvas");
}

void kill(QProcess& app) {
    app.kill(); // SIGKILL: no close event, no clean-up
    app.waitForFinished();
}

// An example with one edit: the graph a crashed session had not saved.
std::string editedAutoencoder() {
    GraphDocument document;
    QString error;
    if (!document.load(":/examples/conv_autoencoder.json", &error))
        return {};
    setParameter(&document, document.graph().findByName("code")->id, "units", std::int64_t(64));
    return graphToJson(document.graph());
}

RecoveryAnswer answerFromName(const QString& name) {
    return name == "restore"   ? RecoveryAnswer::Restore
           : name == "discard" ? RecoveryAnswer::Discard
                               : RecoveryAnswer::Later;
}

} // namespace

class MainWindowTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void badFileKeepsTheDocument() {
        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        window.openExample("mnist_cnn");
        addLayer(window.document(), "Dense", {0, 400}); // an unsaved change
        const std::string before = graphToJson(window.document()->graph());
        const QString bad =
            QStringLiteral(NC_SOURCE_DIR) + "/tests/graph_model/malformed/cycle.json";
        QVERIFY(!window.openFile(bad, false));
        QCOMPARE(graphToJson(window.document()->graph()), before);
        // A device that never ends is refused after the size limit, not read forever.
        QString error;
        QVERIFY(!window.document()->load("/dev/zero", &error));
        QVERIFY2(error.contains("larger than 64 MiB"), qPrintable(error));
        QCOMPARE(graphToJson(window.document()->graph()), before);
        QVERIFY(window.document()->isModified());
        QVERIFY(window.document()->undoStack()->canUndo());
        QCOMPARE(window.windowTitle(), QString("mnist_cnn.json[*] - NetCanvas"));
        QVERIFY(window.isWindowModified());
    }

    // A window destroyed without a close event (a crash, as far as its files go) leaves an
    // orphan; restoring it opens the graph unsaved under its file's name, adopts it into the
    // new window's own recovery file at once, and only then deletes the orphan.
    void recoveryAfterACrash() {
        QTemporaryDir dir;
        const QString mine = dir.filePath("mine.json");
        std::string edited;
        QString crashedFile;
        {
            MainWindow window(dir.path());
            window.openExample("conv_autoencoder");
            QVERIFY(window.saveTo(mine));
            setParameter(window.document(), window.document()->graph().findByName("code")->id,
                         "units", std::int64_t(64));
            edited = graphToJson(window.document()->graph());
            QVERIFY(!window.recovery().exists());
            window.autosaveNow();
            QVERIFY(window.recovery().exists());
            QVERIFY(window.recovery().isLocked());
            crashedFile = window.recovery().path();
            QVERIFY(OrphanedRecovery::claimAll(dir.path()).empty()); // alive: no orphan
        }
        QVERIFY(QFile::exists(crashedFile));

        QStringList asked;
        RecoveryOffer offer = offerRecoveries(dir.path(), [&](const RecoveryQuestion& q) {
            asked.append(q.originalPath);
            return RecoveryAnswer::Restore;
        });
        QCOMPARE(asked, QStringList{mine});
        QCOMPARE(offer.windows.size(), std::size_t(1));
        QVERIFY(offer.problems.isEmpty());
        MainWindow& restored = *offer.windows.front();
        QCOMPARE(graphToJson(restored.document()->graph()), edited);
        QVERIFY(restored.document()->isModified());
        QVERIFY(restored.document()->filePath().isEmpty()); // Save asks where
        QCOMPARE(restored.windowTitle(), QString("mine.json[*] - NetCanvas"));
        QCOMPARE(restored.document()->inference().totalParams,
                 std::int64_t(289409 - 131328 - 131584 + 512 * 64 + 64 + 64 * 512 + 512));
        QVERIFY(!QFile::exists(crashedFile));
        QVERIFY(!QFile::exists(crashedFile + ".lock"));
        // Already in the new window's own file, original path included: a second crash
        // before the next autosave loses nothing.
        QVERIFY(restored.recovery().path() != crashedFile);
        const QJsonObject adopted = readRecovery(restored.recovery().path());
        QCOMPARE(adopted["graph"].toString().toStdString(), edited);
        QCOMPARE(adopted["original_path"].toString(), mine);
        restored.autosaveNow();
        QCOMPARE(readRecovery(restored.recovery().path())["original_path"].toString(), mine);
    }

    void answers_data() {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<bool>("orphanKept");
        QTest::addColumn<int>("windows");
        QTest::newRow("restore") << "restore" << false << 1;
        QTest::newRow("discard") << "discard" << false << 0;
        QTest::newRow("later") << "later" << true << 0;
    }

    void answers() {
        QFETCH(QString, answer);
        QFETCH(bool, orphanKept);
        QFETCH(int, windows);
        QTemporaryDir dir;
        const QString orphan = writeOrphan(dir.path(), editedAutoencoder(), {});
        const QByteArray bytes = readAll(orphan);
        QStringList asked;
        RecoveryOffer offer = offerRecoveries(dir.path(), [&](const RecoveryQuestion& q) {
            asked.append(q.originalPath);
            return answerFromName(answer);
        });
        QCOMPARE(asked, QStringList{QString()}); // once, for a graph never saved
        QCOMPARE(int(offer.windows.size()), windows);
        QCOMPARE(QFile::exists(orphan), orphanKept);
        QVERIFY(!QFile::exists(orphan + ".lock")); // claimed, then let go
        if (orphanKept) {
            QCOMPARE(readAll(orphan), bytes);
            QCOMPARE(OrphanedRecovery::claimAll(dir.path()).size(), std::size_t(1));
        }
        if (windows)
            QCOMPARE(offer.windows.front()->windowTitle(),
                     QString("recovered.json[*] - NetCanvas"));
    }

    // Several orphans, the single file of the previous version among them: all offered,
    // newest first; an unreadable one is reported and kept.
    void severalOrphansNewestFirst() {
        QTemporaryDir dir;
        const std::string graph = editedAutoencoder();
        const QString legacy = dir.filePath("recovery.json");
        writeFile(legacy, recoveryText(graph, "/old/legacy.json"));
        const QString older = writeOrphan(dir.path(), graph, "/old/older.json");
        const QString newer = writeOrphan(dir.path(), graph, "/old/newer.json");
        const QString broken = writeOrphan(dir.path(), "{not a graph", "/old/broken.json");
        const QDateTime now = QDateTime::currentDateTime();
        const auto age = [](const QString& path, QDateTime when) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadWrite));
            QVERIFY(file.setFileTime(when, QFileDevice::FileModificationTime));
        };
        age(legacy, now.addDays(-3));
        age(older, now.addDays(-2));
        age(newer, now.addDays(-1));
        age(broken, now.addSecs(-60));

        QStringList asked;
        RecoveryOffer offer = offerRecoveries(dir.path(), [&](const RecoveryQuestion& q) {
            asked.append(QFileInfo(q.originalPath).fileName() +
                         QStringLiteral(" %1/%2").arg(q.index).arg(q.count));
            return RecoveryAnswer::Restore;
        });
        QCOMPARE(asked, QStringList({"newer.json 2/4", "older.json 3/4", "legacy.json 4/4"}));
        QCOMPARE(offer.windows.size(), std::size_t(3));
        QCOMPARE(offer.problems.size(), 1);
        QVERIFY(offer.problems.front().contains(broken));
        QVERIFY(QFile::exists(broken));
        QVERIFY(!QFile::exists(legacy) && !QFile::exists(older) && !QFile::exists(newer));
    }

    // Two windows at once: two files, each locked, neither an orphan to the other.
    void twoWindowsHaveTheirOwnFiles() {
        QTemporaryDir dir;
        auto first = std::make_unique<MainWindow>(dir.path());
        MainWindow second(dir.path());
        for (MainWindow* window : {first.get(), &second}) {
            window->openExample("mlp");
            addLayer(window->document(), "Flatten", {0, 300});
            window->autosaveNow();
            QVERIFY(window->recovery().exists());
            QVERIFY(QFile::exists(window->recovery().path() + ".lock"));
        }
        QVERIFY(first->recovery().path() != second.recovery().path());
        QVERIFY(OrphanedRecovery::claimAll(dir.path()).empty());

        // A clean close (the changes undone) removes the file and the lock.
        const QString secondFile = second.recovery().path();
        second.document()->undoStack()->undo();
        QVERIFY(second.close());
        QVERIFY(!QFile::exists(secondFile));
        QVERIFY(!QFile::exists(secondFile + ".lock"));

        // The first one "crashes": now, and only now, it is an orphan.
        const QString firstFile = first->recovery().path();
        first.reset();
        const auto orphans = OrphanedRecovery::claimAll(dir.path());
        QCOMPARE(orphans.size(), std::size_t(1));
        QCOMPARE(orphans.front().path(), firstFile);
    }

    // A lock names a live process: no orphan. Once that process is gone: an orphan.
    void lockOfALiveProcessIsRespected() {
        QTemporaryDir dir;
        QProcess sleeper;
        sleeper.start("sleep", {"60"});
        QVERIFY(sleeper.waitForStarted());
        const QString path =
            dir.filePath(QStringLiteral("recovery-%1-1.json").arg(sleeper.processId()));
        writeFile(path, recoveryText(editedAutoencoder(), {}));
        // The name QLockFile would record: what the pid's executable is called.
        const QString exe =
            QFileInfo(QStringLiteral("/proc/%1/exe").arg(sleeper.processId())).symLinkTarget();
        writeLock(path + ".lock", sleeper.processId(), QFileInfo(exe).fileName());
        QVERIFY(OrphanedRecovery::claimAll(dir.path()).empty());
        QVERIFY(QFile::exists(path + ".lock"));
        kill(sleeper);
        QCOMPARE(OrphanedRecovery::claimAll(dir.path()).size(), std::size_t(1));
    }

    // The real app: it holds unsaved work (a restored graph, autosaved at once) beside a file
    // opened from its command line, is killed, and is started again with arguments. The
    // crashed work is offered before anything else opens; "Keep for Later" leaves it as it
    // was; "Restore" brings it back in its own window, beside what the arguments asked for.
    void crashThenStartWithArguments_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("--example") << QStringList{"--example", "mnist_cnn"};
        QTest::newRow("file") << QStringList{"@mine"};
    }

    void crashThenStartWithArguments() {
        QFETCH(QStringList, arguments);
        QTemporaryDir home;
        const QString dir = appRecoveryDir(home);
        const QString mine = home.filePath("mine.json");
        QVERIFY(QFile::copy(":/examples/conv_autoencoder.json", mine));
        arguments.replaceInStrings("@mine", mine);
        const std::string edited = editedAutoencoder();
        const QString seed = writeOrphan(dir, edited, mine);

        auto first = startApp(home, "restore", {mine});
        QVERIFY(first->waitForStarted());
        const qint64 firstPid = first->processId();
        // Two windows (the restored graph, mine.json), each with its lock; the restored graph
        // was written to its window's own file before the next window opened.
        QTRY_COMPARE_WITH_TIMEOUT(filesOf(dir, firstPid, ".json.lock").size(), 2, kAppTimeoutMs);
        QCOMPARE(filesOf(dir, firstPid, ".json").size(), 1);
        QVERIFY(!QFile::exists(seed));
        const QString crashed = QDir(dir).filePath(filesOf(dir, firstPid, ".json").front());
        QCOMPARE(readRecovery(crashed)["graph"].toString().toStdString(), edited);
        kill(*first);
        QCOMPARE(first->exitStatus(), QProcess::CrashExit);
        const QByteArray crashedBytes = readAll(crashed);
        QVERIFY(QFile::exists(crashed + ".lock")); // a dead process's lock

        auto later = startApp(home, "later", arguments);
        QVERIFY(later->waitForStarted());
        const qint64 laterPid = later->processId();
        QTRY_COMPARE_WITH_TIMEOUT(filesOf(dir, laterPid, ".json.lock").size(), 1, kAppTimeoutMs);
        QVERIFY(!QFile::exists(crashed + ".lock")); // claimed for the offer, then let go
        QCOMPARE(readAll(crashed), crashedBytes);
        QVERIFY(filesOf(dir, laterPid, ".json").isEmpty());
        kill(*later);

        auto restore = startApp(home, "restore", arguments);
        QVERIFY(restore->waitForStarted());
        const qint64 restorePid = restore->processId();
        QTRY_COMPARE_WITH_TIMEOUT(filesOf(dir, restorePid, ".json.lock").size(), 2, kAppTimeoutMs);
        QVERIFY(!QFile::exists(crashed));
        const QStringList own = filesOf(dir, restorePid, ".json");
        QCOMPARE(own.size(), 1);
        const QJsonObject restored = readRecovery(QDir(dir).filePath(own.front()));
        QCOMPARE(restored["graph"].toString().toStdString(), edited);
        QCOMPARE(restored["original_path"].toString(), mine);
        kill(*restore);
    }

    // Two copies of the app at once: the second never offers (nor, answering "discard",
    // deletes) the first one's live recovery file.
    void twoCopiesKeepApart() {
        QTemporaryDir home;
        const QString dir = appRecoveryDir(home);
        const QString seed = writeOrphan(dir, editedAutoencoder(), {});
        auto first = startApp(home, "restore", {"--example", "mlp"});
        QVERIFY(first->waitForStarted());
        const qint64 firstPid = first->processId();
        QTRY_COMPARE_WITH_TIMEOUT(filesOf(dir, firstPid, ".json.lock").size(), 2, kAppTimeoutMs);
        QCOMPARE(filesOf(dir, firstPid, ".json").size(), 1);
        QVERIFY(!QFile::exists(seed));
        const QString live = QDir(dir).filePath(filesOf(dir, firstPid, ".json").front());
        const QByteArray liveBytes = readAll(live);

        auto second = startApp(home, "discard", {"--example", "mlp"});
        QVERIFY(second->waitForStarted());
        const qint64 secondPid = second->processId();
        QTRY_COMPARE_WITH_TIMEOUT(filesOf(dir, secondPid, ".json.lock").size(), 1, kAppTimeoutMs);
        QCOMPARE(readAll(live), liveBytes);
        QCOMPARE(filesOf(dir, firstPid, ".json.lock").size(), 2);
        QVERIFY(filesOf(dir, secondPid, ".json").isEmpty());
        QCOMPARE(first->state(), QProcess::Running);
        kill(*second);
        kill(*first);
    }

    // A --screenshot run is not interactive: it never offers, discards or overwrites another
    // session's recovery file, and leaves nothing of its own behind.
    void screenshotLeavesOrphansAlone() {
        QTemporaryDir home;
        const QString dir = appRecoveryDir(home);
        const QString orphan = writeOrphan(dir, editedAutoencoder(), {});
        const QString legacy = QDir(dir).filePath("recovery.json");
        writeFile(legacy, recoveryText(editedAutoencoder(), "/old/legacy.json"));
        const QStringList before = QDir(dir).entryList(QDir::Files, QDir::Name);
        const QByteArray orphanBytes = readAll(orphan), lockBytes = readAll(orphan + ".lock"),
                         legacyBytes = readAll(legacy);

        const QString png = home.filePath("shot.png");
        auto app = startApp(home, "discard", {"--screenshot", png});
        QVERIFY(app->waitForFinished(kAppTimeoutMs));
        QCOMPARE(app->exitStatus(), QProcess::NormalExit);
        QCOMPARE(app->exitCode(), 0);
        QVERIFY(QFileInfo(png).size() > 0);
        QCOMPARE(QDir(dir).entryList(QDir::Files, QDir::Name), before);
        QCOMPARE(readAll(orphan), orphanBytes);
        QCOMPARE(readAll(orphan + ".lock"), lockBytes);
        QCOMPARE(readAll(legacy), legacyBytes);
    }

    // A file that cannot be opened ends a --screenshot run with status 1 (the reason goes to
    // stderr), and no picture.
    void screenshotOfABadFileFails() {
        QTemporaryDir home;
        const QString bad = home.filePath("bad.json");
        writeFile(bad, R"({"format": "netcanvas-graph", "version": 1, "nodes": [{"id": 1}]})");
        const QString png = home.filePath("shot.png");
        auto app = startApp(home, "later", {bad, "--screenshot", png});
        QVERIFY(app->waitForFinished(kAppTimeoutMs));
        QCOMPARE(app->exitStatus(), QProcess::NormalExit);
        QCOMPARE(app->exitCode(), 1);
        QVERIFY(!QFile::exists(png));
    }

    // The window fits a 1366x768 screen whatever is selected: no dock's contents raise its
    // minimum size past the screen (long forms scroll inside their dock).
    void fitsALaptopScreenWithAnyCardSelected() {
        QTemporaryDir dir;
        MainWindow window(dir.path());
        window.resize(1366, 740);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList worst;
        int tallest = 0, widest = 0;
        for (const QString& example : MainWindow::exampleNames()) {
            window.openExample(example);
            for (nc::graph::NodeId id : window.document()->graph().nodeIds()) {
                window.scene()->selectNodes({id});
                QCoreApplication::processEvents();
                const QSize least = window.minimumSizeHint().expandedTo(window.minimumSize());
                if (least.height() > tallest || least.width() > widest)
                    worst = {example, QString::fromStdString(
                                          window.document()->graph().node(id)->name)};
                tallest = std::max(tallest, least.height());
                widest = std::max(widest, least.width());
            }
            window.document()->undoStack()->setClean();
        }
        qInfo("the largest minimum size: %dx%d (%s)", widest, tallest, qPrintable(worst.join(' ')));
        // Open (issue 30): the Probe dock's minimum height (567 px) sets the window's. Put in
        // a scroll area it was clipped at the side and its drawn-digit probe misbehaved.
        QEXPECT_FAIL("", "the Probe dock's views set the window's minimum height (issue 30)",
                     Continue);
        QVERIFY2(tallest <= 740 && widest <= 1366,
                 qPrintable(QString("%1x%2 with %3 selected")
                                .arg(widest)
                                .arg(tallest)
                                .arg(worst.join(' '))));
    }

    // A script's file with every card at one spot opens with a hint to lay it out.
    void stackedCardsSuggestAutoLayout() {
        QTemporaryDir dir;
        const QString path = dir.filePath("stacked.json");
        writeFile(path, R"({"format": "netcanvas-graph", "version": 1, "nodes": [
            {"id": 1, "type": "Input", "name": "input", "params": {"shape": [4]}},
            {"id": 2, "type": "Dense", "name": "fc", "params": {"units": 3}}],
            "edges": [{"from": [1, "x"], "to": [2, "in"]}]})");
        MainWindow window(dir.path());
        QVERIFY(window.openFile(path, false));
        QVERIFY2(window.statusBar()->currentMessage().contains("Auto Layout"),
                 qPrintable(window.statusBar()->currentMessage()));
        window.openExample("mlp");
        const QString spread = dir.filePath("spread.json");
        QVERIFY(window.saveTo(spread));
        QVERIFY(window.openFile(spread, false));
        QVERIFY(!window.statusBar()->currentMessage().contains("Auto Layout"));
    }

    void saveIsAtomicAndMarksClean() {
        QTemporaryDir dir;
        MainWindow window(dir.path());
        window.openExample("mlp");
        addLayer(window.document(), "Flatten", {0, 300});
        QVERIFY(window.document()->isModified());
        const QString path = dir.filePath("mine.json");
        QVERIFY(window.saveTo(path));
        QVERIFY(!window.document()->isModified());
        QCOMPARE(window.windowTitle(), QString("mine.json[*] - NetCanvas"));
        auto reloaded = loadGraphFile(path.toStdString());
        QVERIFY(reloaded.isOk());
        QCOMPARE(graphToJson(reloaded.value()), graphToJson(window.document()->graph()));
        QCOMPARE(QDir(dir.path()).entryList({"mine.json*"}, QDir::Files), QStringList{"mine.json"});
    }

    void examplesAreBuiltIn() {
        QCOMPARE(MainWindow::exampleNames(),
                 QStringList({"catsdogs_cnn", "char_lstm", "conv_autoencoder", "gru_adding", "mlp",
                              "mnist_cnn", "modified_cnn", "rnn_rows_mnist"}));
    }
};

QTEST_MAIN(MainWindowTest)
#include "tst_mainwindow.moc"
