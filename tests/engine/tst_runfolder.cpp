// Run folders: fresh names, refusals, the lock, stale temporary files, metrics.csv, run.json,
// and the recorder's commit order - including the states a kill can leave and how resuming
// repairs them.

#include "engine/run/eventreader.h"
#include "enginetesting.h"

#include "core/numberparse.h"
#include "engine/run/runfolder.h"
#include "engine/run/runrecorder.h"

#include "core/atomicwrite.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace nc::engine;
using nc::core::Status;

namespace {

void touch(const QString& path) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("x");
}

std::string readText(const std::string& path) {
    auto text = nc::core::readWholeFile(path, 1 << 20);
    return text ? text.value() : std::string();
}

EpochReport report(int epoch, double valLoss = kNoMetric) {
    EpochReport r;
    r.epoch = epoch;
    r.epochs = 3;
    r.trainLoss = 1.0 / epoch;
    r.trainAccuracy = 0.5;
    r.valLoss = valLoss;
    r.seconds = 2;
    r.imagesPerSecond = 100;
    r.lr = 0.01;
    return r;
}

RunInfo sampleInfo() {
    RunInfo info;
    info.graphSource = "/graphs/net.json";
    info.data = "synthetic:digits?count=10";
    info.valSplit = 0.25;
    info.config.epochs = 3;
    info.config.batch = 16;
    info.config.lr = 0.05;
    info.config.schedule = "cosine";
    info.config.optimizer.kind = "adam";
    info.threads = 2;
    return info;
}

// Records epochs 1..`epochs` of a fresh run in `path`; returns each epoch's checkpoint metadata.
std::vector<CheckpointMetadata> recordEpochs(const std::string& path, Model& model, int epochs) {
    std::vector<CheckpointMetadata> saved;
    auto folder = RunFolder::open(path, false);
    if (!folder)
        return saved;
    RunRecorder recorder(folder.value(), sampleInfo());
    if (!recorder.start(model.graph()))
        return saved;
    for (int e = 1; e <= epochs; ++e) {
        recorder.recordStep({e, 1, 2, 0.5, 10, 1});
        recorder.recordStep({e, 2, 2, 0.4, 10, 0});
        Status s = recorder.recordEpoch(report(e), model.params(), [&](const auto& metadata) {
            saved.push_back(metadata);
            return Status::ok();
        });
        if (!s)
            return {};
    }
    return saved;
}

} // namespace

class RunFolderTest : public QObject {
    Q_OBJECT

private slots:
    void freshPathsNeverCollide() {
        QTemporaryDir dir;
        const std::string parent = dir.filePath("runs").toStdString();
        const std::time_t now = std::time(nullptr);
        auto first = RunFolder::claimFreshPath(parent, "mnist_cnn", now);
        auto second = RunFolder::claimFreshPath(parent, "mnist_cnn", now);
        QVERIFY2(first.isOk() && second.isOk(), first.message().c_str());
        QVERIFY(QRegularExpression("/runs/mnist_cnn-\\d{8}-\\d{6}$")
                    .match(QString::fromStdString(first.value()))
                    .hasMatch());
        QCOMPARE(second.value(), first.value() + "-2");
        QVERIFY(QDir(QString::fromStdString(second.value())).exists());
    }

    void folderRefusals() {
        QTemporaryDir dir;
        const std::string missing = dir.filePath("new").toStdString();
        QVERIFY(RunFolder::checkUsable(missing, false));
        QVERIFY(!QDir(QString::fromStdString(missing)).exists()); // checking creates nothing
        QVERIFY(QDir(dir.path()).mkdir("empty"));
        QVERIFY(RunFolder::checkUsable(dir.filePath("empty").toStdString(), false));

        QVERIFY(QDir(dir.path()).mkdir("old"));
        touch(dir.filePath("old/metrics.csv"));
        const std::string old = dir.filePath("old").toStdString();
        Status refused = RunFolder::checkUsable(old, false);
        QVERIFY(!refused);
        QVERIFY2(refused.message().find("already holds files; a new run never replaces an old "
                                        "one") != std::string::npos,
                 refused.message().c_str());
        QVERIFY(!RunFolder::open(old, false).isOk());
        QVERIFY(RunFolder::open(old, true).isOk()); // resuming continues it

        touch(dir.filePath("plain"));
        Status notAFolder = RunFolder::checkUsable(dir.filePath("plain").toStdString(), true);
        QVERIFY2(notAFolder.message().find("is not a folder") != std::string::npos,
                 notAFolder.message().c_str());
    }

    // A run's own file that is a FIFO, a folder or a link is no run NetCanvas wrote: resuming
    // there would write through it or hang on it.
    void oddFilesAreRefused_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("kind");
        QTest::newRow("metrics FIFO") << "metrics.csv" << "fifo";
        QTest::newRow("lock folder") << ".lock" << "folder";
        QTest::newRow("event FIFO") << "events.out.tfevents.1.box" << "fifo";
        QTest::newRow("checkpoint link") << "checkpoint.safetensors" << "link";
        QTest::newRow("a user's link") << "notes.txt" << "link";
    }

    void oddFilesAreRefused() {
        QFETCH(QString, name);
        QFETCH(QString, kind);
        QTemporaryDir dir;
        const QString file = dir.filePath(name);
        if (kind == "fifo")
            QVERIFY(::mkfifo(QFile::encodeName(file).constData(), 0644) == 0);
        else if (kind == "folder")
            QVERIFY(QDir().mkpath(file));
        else
            QVERIFY(QFile::link(dir.filePath("elsewhere"), file));
        auto folder = RunFolder::open(dir.path().toStdString(), true);
        QVERIFY(!folder.isOk());
        QVERIFY2(folder.message().find(name.toStdString()) != std::string::npos,
                 folder.message().c_str());
    }

    void oneTrainingPerFolder() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("run").toStdString();
        const std::string expected = "run folder " + path + " is in use by another training (pid " +
                                     std::to_string(::getpid()) + ")";
        {
            auto first = RunFolder::open(path, false);
            QVERIFY2(first.isOk(), first.message().c_str());
            QCOMPARE(RunLock::holder(path).value_or(-1), std::int64_t(::getpid()));
            auto second = RunFolder::open(path, true);
            QVERIFY(!second.isOk());
            QCOMPARE(second.message(), expected);
            QCOMPARE(RunFolder::checkUsable(path, false).message(), expected);
        }
        QVERIFY(!RunLock::holder(path).has_value());  // released with the RunFolder
        QVERIFY(RunFolder::open(path, false).isOk()); // only the .lock is there: still empty
    }

    void staleTemporariesAreRemoved_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("temporary");
        QTest::newRow("metrics") << "metrics.csv.nctmp-Ab12Cd" << true;
        QTest::newRow("checkpoint") << "checkpoint.safetensors.nctmp-XXXXXX" << true;
        QTest::newRow("short suffix") << "metrics.csv.nctmp-1" << false;
        QTest::newRow("long suffix") << "metrics.csv.nctmp-1234567" << false;
        QTest::newRow("no base") << ".nctmp-abcdef" << false;
        QTest::newRow("punctuation") << "run.json.nctmp-ab.cde" << false;
        QTest::newRow("graph") << "graph.json.nctmp-a1B2c3" << true;
        QTest::newRow("a user's backup") << "notes.tmp-backup" << false;
        QTest::newRow("a user's backup of metrics") << "metrics.csv.tmp-backup" << false;
        QTest::newRow("a user's file named like ours") << "graph.json.bak.nctmp-abcdef" << false;
    }

    void staleTemporariesAreRemoved() {
        QFETCH(QString, name);
        QFETCH(bool, temporary);
        QCOMPARE(isRunFileTemporary(name.toStdString()), temporary);
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("run"));
        touch(dir.filePath("run/" + name));
        auto folder = RunFolder::open(dir.filePath("run").toStdString(), true);
        QVERIFY2(folder.isOk(), folder.message().c_str());
        QCOMPARE(folder.value().removedTemporaries(), temporary ? 1 : 0);
        QCOMPARE(QFile::exists(dir.filePath("run/" + name)), !temporary);
    }

    void metricsRows() {
        QCOMPARE(RunMetrics::row(report(2)), std::string("2,0.5,0.5,,,2,100,0.01"));
        const std::string a = "1,0.5,0.5,,,2,100,0.01", b = "2,0.25,0.75,,,2,100,0.01";
        const std::string old = std::string(RunMetrics::kHeader) + "\n" + a + "\n" + b +
                                "\r\n2,1,1,,,2,100,0.01\nnot a row\n3,1,1,,,1,1,1\n"
                                "-1,1,1,,,1,1,1\n1,a\n";
        RunMetrics m = RunMetrics::parse(old, 2);
        QCOMPARE(m.rows(), 2);
        QCOMPARE(m.csv(), std::string(RunMetrics::kHeader) + "\n" + a + "\n" + b + "\n");
        m.set(4, "4,d");
        m.set(3, "3,c");
        m.set(1, "1,A");
        QCOMPARE(m.csv(), std::string(RunMetrics::kHeader) + "\n1,A\n" + b + "\n3,c\n4,d\n");
        QCOMPARE(RunMetrics::parse(old, 0).rows(), 0);
    }

    // A row read back from a checkpoint is used only when it is one: no text of a file's
    // choosing (newlines, extra columns) reaches metrics.csv.
    void metricsRowsAreChecked_data() {
        QTest::addColumn<QString>("row");
        QTest::addColumn<bool>("valid");
        QTest::newRow("written") << QString::fromStdString(RunMetrics::row(report(3))) << true;
        QTest::newRow("empty cells") << "3,,,,,,," << true;
        QTest::newRow("infinite loss") << "3,inf,0.5,,,2,100,0.01" << true;
        QTest::newRow("another epoch") << "2,0.5,0.5,,,2,100,0.01" << false;
        QTest::newRow("newline") << "3,0.5,0.5,,,2,100,0.01\n4,9,9,9,9,9,9,9" << false;
        QTest::newRow("carriage return") << "3,0.5,0.5,,,2,100,0.01\r" << false;
        QTest::newRow("extra column") << "3,0.5,0.5,,,2,100,0.01,9" << false;
        QTest::newRow("too few") << "3,0.5" << false;
        QTest::newRow("text") << "3,=cmd(),0.5,,,2,100,0.01" << false;
    }

    void metricsRowsAreChecked() {
        QFETCH(QString, row);
        QFETCH(bool, valid);
        QCOMPARE(RunMetrics::isRow(row.toStdString(), 3), valid);
    }

    void eventFileNames_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("made") << "events.out.tfevents.1714564800.box" << true;
        QTest::newRow("numbered") << "events.out.tfevents.1714564800.box.2" << true;
        QTest::newRow("graph") << "graph.json" << false;
        QTest::newRow("checkpoint") << "checkpoint.safetensors" << false;
        QTest::newRow("up") << "events.out.tfevents.1.x/../../graph.json" << false;
        QTest::newRow("absolute") << "/etc/passwd" << false;
        QTest::newRow("no host") << "events.out.tfevents.1714564800." << false;
        QTest::newRow("no time") << "events.out.tfevents..box" << false;
        QTest::newRow("control") << "events.out.tfevents.1.bo\nx" << false;
    }

    void eventFileNames() {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(isEventFileName(name.toStdString()), valid);
    }

    void runInfoRoundTrip() {
        RunInfo info = sampleInfo();
        info.status = RunStatus::Failed;
        info.error = "non-finite values";
        info.epochsDone = 2;
        info.resumedFromEpoch = 1;
        info.started = isoUtcTime(0);
        info.ended = isoUtcTime(86400 + 61);
        info.host = "box";
        info.pid = 42;
        info.eventsFile = "events.out.tfevents.1.box";
        QCOMPARE(info.ended, std::string("1970-01-02T00:01:01Z"));
        auto back = parseRunInfo(runInfoJson(info), "run.json");
        QVERIFY2(back.isOk(), back.message().c_str());
        const RunInfo& b = back.value();
        QCOMPARE(b.status, RunStatus::Failed);
        QCOMPARE(b.error, info.error);
        QCOMPARE(b.epochsDone, 2);
        QCOMPARE(b.resumedFromEpoch, 1);
        QCOMPARE(b.started, info.started);
        QCOMPARE(b.ended, info.ended);
        QCOMPARE(b.graphSource, info.graphSource);
        QCOMPARE(b.data, info.data);
        QCOMPARE(b.valSplit, 0.25);
        QCOMPARE(b.config.epochs, 3);
        QCOMPARE(b.config.batch, std::int64_t(16));
        QCOMPARE(b.config.lr, 0.05);
        QCOMPARE(b.config.schedule, std::string("cosine"));
        QCOMPARE(b.config.optimizer.kind, std::string("adam"));
        QCOMPARE(b.threads, 2);
        QCOMPARE(b.pid, std::int64_t(42));
        QCOMPARE(b.eventsFile, info.eventsFile);
        QVERIFY(runInfoJson(info).find("\"status\": \"failed\"") != std::string::npos);

        auto bad = parseRunInfo("{\"format\": \"netcanvas-run\", \"status\": 3}", "r.json");
        QVERIFY(!bad.isOk());
        QVERIFY2(bad.message().rfind("r.json: ", 0) == 0, bad.message().c_str());
    }

    void recorderWritesTheRun() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("run").toStdString();
        Model model = nc::test::compileExample("mnist_cnn");
        initializeParameters(model.params(), 1);
        for (Parameter& p : model.params().all())
            if (!p.grad.empty())
                p.grad.fill(0.5f);
        auto folder = RunFolder::open(path, false);
        QVERIFY(folder.isOk());
        RunRecorder recorder(folder.value(), sampleInfo());
        QVERIFY(recorder.start(model.graph()));
        QVERIFY(QFile::exists(QString::fromStdString(folder.value().graphPath())));
        QCOMPARE(readText(folder.value().metricsPath()), std::string(RunMetrics::kHeader) + "\n");
        auto info = parseRunInfo(readText(folder.value().runInfoPath()), "run.json");
        QVERIFY2(info.isOk(), info.message().c_str());
        QCOMPARE(info.value().status, RunStatus::Running);
        QCOMPARE(info.value().pid, std::int64_t(::getpid()));
        QVERIFY(info.value().ended.empty());

        recorder.recordStep({1, 1, 2, 0.5, 10, 1});
        recorder.recordStep({1, 2, 2, 0.4, 20, 0});
        // A checkpoint that cannot be saved commits nothing.
        Status failed = recorder.recordEpoch(
            report(1), model.params(), [](const auto&) { return Status::error("disk full"); });
        QCOMPARE(failed.message(), std::string("disk full"));
        QCOMPARE(readText(folder.value().metricsPath()), std::string(RunMetrics::kHeader) + "\n");

        CheckpointMetadata saved;
        const std::string eventsPath = folder.value().file(recorder.info().eventsFile);
        QVERIFY(recorder.recordEpoch(report(1, 0.75), model.params(), [&](const auto& m) {
            saved = m;
            // The epoch's events are on disk before the checkpoint is saved...
            auto events = nc::engine::readEventFile(eventsPath);
            if (!events || QFileInfo(QString::fromStdString(eventsPath)).size() !=
                               qint64(nc::core::require(nc::core::parseUint64(
                                   m.at(RunRecorder::kEventsBytesKey), "events bytes"))))
                return Status::error("events not flushed");
            // ...and metrics.csv gets the row only after it.
            if (readText(folder.value().metricsPath()) != std::string(RunMetrics::kHeader) + "\n")
                return Status::error("metrics written early");
            return Status::ok();
        }));
        QCOMPARE(saved.at(RunRecorder::kMetricsRowKey), RunMetrics::row(report(1, 0.75)));
        QCOMPARE(saved.at(RunRecorder::kEventsFileKey), recorder.info().eventsFile);
        QCOMPARE(readText(folder.value().metricsPath()),
                 std::string(RunMetrics::kHeader) + "\n" + RunMetrics::row(report(1, 0.75)) + "\n");
        QCOMPARE(parseRunInfo(readText(folder.value().runInfoPath()), "r").value().epochsDone, 1);
        QVERIFY(recorder.finish(RunStatus::Completed));
        info = parseRunInfo(readText(folder.value().runInfoPath()), "run.json");
        QCOMPARE(info.value().status, RunStatus::Completed);
        QVERIFY(!info.value().ended.empty());

        auto events = nc::engine::readEventFile(eventsPath);
        QVERIFY2(events.isOk(), events.message().c_str());
        const auto& e = events.value();
        QCOMPARE(e.front().fileVersion, std::string("brain.Event:2"));
        // Steps at global step (epoch - 1) * steps + step, with the schedule's lr (cosine).
        QCOMPARE(e[1].step, std::int64_t(1));
        QCOMPARE(*e[2].find("step/train_loss")->simpleValue, 0.4f);
        QCOMPARE(*e[2].find("step/images_per_s")->simpleValue, 20.0f);
        QCOMPARE(*e[2].find("step/lr")->simpleValue, 0.05f);
        // The epoch: scalars (none for what does not apply), then one histogram per
        // parameter for the weights and one per trainable parameter for the gradients.
        const nc::engine::DecodedEvent* epochScalars = nullptr;
        int weights = 0, gradients = 0;
        for (const auto& event : e)
            for (const auto& v : event.values) {
                if (v.tag == "epoch/train_loss")
                    epochScalars = &event;
                weights += v.tag.rfind("weights/", 0) == 0;
                gradients += v.tag.rfind("gradients/", 0) == 0;
                if (v.tag == "gradients/conv1.weight")
                    QCOMPARE(v.histogram->sum, 0.5 * 32 * 25);
                if (v.tag == "weights/logits.bias")
                    QCOMPARE(v.histogram->num, 10.0);
            }
        QVERIFY(epochScalars);
        QCOMPARE(epochScalars->step, std::int64_t(1));
        QCOMPARE(*epochScalars->find("epoch/val_loss")->simpleValue, 0.75f);
        QVERIFY(epochScalars->find("epoch/val_accuracy") == nullptr);
        QCOMPARE(*epochScalars->find("epoch/seconds")->simpleValue, 2.0f);
        QCOMPARE(weights, int(model.params().size()));
        QCOMPARE(gradients, 8); // mnist_cnn: conv1, conv2, fc1, logits, weights and biases
    }

    void resumeRepairsWhatAKillLeft_data() {
        QTest::addColumn<QString>("metricsOnDisk"); // rows of metrics.csv when killed
        QTest::addColumn<bool>("withRunMetadata");  // a checkpoint from this recorder
        QTest::addColumn<int>("expectedRows");
        QTest::newRow("killed before metrics.csv") << "1" << true << 2;
        QTest::newRow("killed after metrics.csv") << "12" << true << 2;
        QTest::newRow("rows past the checkpoint") << "123" << true << 2;
        QTest::newRow("metrics.csv lost") << "" << true << 1;
        QTest::newRow("older checkpoint") << "123" << false << 2;
    }

    void resumeRepairsWhatAKillLeft() {
        QFETCH(QString, metricsOnDisk);
        QFETCH(bool, withRunMetadata);
        QFETCH(int, expectedRows);
        QTemporaryDir dir;
        const std::string path = dir.filePath("run").toStdString();
        Model model = nc::test::compileExample("mlp");
        initializeParameters(model.params(), 1);
        std::vector<CheckpointMetadata> saved = recordEpochs(path, model, 3);
        QCOMPARE(saved.size(), std::size_t(3));
        // The kill: the checkpoint holds epoch 2, metrics.csv holds `metricsOnDisk`, and the
        // event file runs past what the checkpoint covered (epoch 3).
        RunMetrics onDisk;
        for (QChar c : metricsOnDisk)
            onDisk.set(c.digitValue(), RunMetrics::row(report(c.digitValue())));
        QVERIFY(onDisk.save(path + "/metrics.csv"));
        const CheckpointMetadata checkpoint = withRunMetadata ? saved[1] : CheckpointMetadata{};
        touch(QString::fromStdString(path + "/run.json.nctmp-a1b2c3"));

        auto folder = RunFolder::open(path, true);
        QVERIFY2(folder.isOk(), folder.message().c_str());
        QCOMPARE(folder.value().removedTemporaries(), 1);
        RunRecorder recorder(folder.value(), sampleInfo());
        QVERIFY(recorder.start(model.graph(), 2, checkpoint));
        RunMetrics expected;
        for (int e = 3 - expectedRows; e <= 2; ++e)
            if (e >= 1)
                expected.set(e, RunMetrics::row(report(e)));
        QCOMPARE(readText(path + "/metrics.csv"), expected.csv());
        QCOMPARE(parseRunInfo(readText(path + "/run.json"), "r").value().resumedFromEpoch, 2);

        // The event file: continued and cut back to epoch 2, or a new one beside it.
        const QString events =
            QString::fromStdString(folder.value().file(recorder.info().eventsFile));
        QCOMPARE(recorder.info().eventsFile == saved[1].at(RunRecorder::kEventsFileKey),
                 withRunMetadata);
        if (withRunMetadata)
            QCOMPARE(QFileInfo(events).size(),
                     qint64(nc::core::require(nc::core::parseUint64(
                         saved[1].at(RunRecorder::kEventsBytesKey), "events bytes"))));
        QCOMPARE(QDir(QString::fromStdString(path)).entryList({"events.out.tfevents.*"}).size(),
                 withRunMetadata ? 1 : 2);
        QVERIFY(recorder.recordEpoch(report(3), model.params(),
                                     [](const auto&) { return Status::ok(); }));
        auto read = nc::engine::readEventFile(events.toStdString());
        QVERIFY2(read.isOk(), read.message().c_str());
        int epochThree = 0;
        for (const auto& e : read.value())
            epochThree += e.find("epoch/train_loss") && e.step == 3;
        QCOMPARE(epochThree, 1); // the killed run's epoch 3 is gone
    }
};

QTEST_GUILESS_MAIN(RunFolderTest)
#include "tst_runfolder.moc"
