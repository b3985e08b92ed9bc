// Training from the window: the controller's state machine on a real worker thread (start,
// pause, resume, stop, an error mid-run), the metrics batches (in order, none lost), the run
// folder a GUI run leaves, reopening runs, the structure lock, undoable settings, fine-tuning
// the loaded weights, and quitting the window during a run.

#include "uitesting.h"

#include "../engine/addressspacelimit.h"

#include "ui/commands/trainingsettingscommand.h"
#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/loadedweights.h"
#include "ui/mainwindow.h"
#include "ui/training/chartspanel.h"
#include "ui/training/chartwidget.h"
#include "ui/training/comparisontable.h"
#include "ui/training/datapreview.h"
#include "ui/training/histogramview.h"
#include "ui/training/runlibrary.h"
#include "ui/training/trainingcontroller.h"
#include "ui/training/trainingdock.h"

#include "engine/checkpoint.h"
#include "engine/probe/probeweights.h"
#include "graph_model/graphjson.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace nc::ui;
using nc::engine::RunStatus;
using State = TrainingController::State;

namespace {

TrainingJob smallJob(const QString& root, const char* example = "mlp", int samples = 1200,
                     int epochs = 2) {
    GraphDocument doc;
    nc::test::loadExample(doc, example);
    TrainingJob job;
    job.graph = doc.graph();
    job.graphSource = doc.filePath();
    job.settings = job.graph.training().value_or(nc::graph::TrainingSettings{});
    job.settings.data = "synthetic:digits?count=" + std::to_string(samples);
    job.settings.epochs = epochs;
    job.settings.batch = 64;
    job.threads = 2;
    job.runsRoot = root;
    return job;
}

// Everything the controller sent, in order.
struct Recorder {
    std::vector<State> states;
    std::vector<MetricBatchPtr> batches;
    std::optional<TrainingResult> result;
    QString folder;

    explicit Recorder(TrainingController& c) {
        QObject::connect(&c, &TrainingController::stateChanged,
                         [this](State s) { states.push_back(s); });
        QObject::connect(&c, &TrainingController::metricsArrived,
                         [this](const QString&, MetricBatchPtr b) { batches.push_back(b); });
        QObject::connect(&c, &TrainingController::runStarted,
                         [this](const QString& f) { folder = f; });
        QObject::connect(&c, &TrainingController::runFinished,
                         [this](const TrainingResult& r) { result = r; });
    }
    std::size_t steps() const {
        std::size_t n = 0;
        for (const auto& b : batches)
            n += b->steps.size();
        return n;
    }
};

} // namespace

class TrainingRunTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void completedRunLeavesAWholeRunFolder() {
        QTemporaryDir root;
        TrainingController controller;
        Recorder r(controller);
        TrainingJob job = smallJob(root.path());
        const std::string graphJson = nc::graph::graphToJson(job.graph);
        QVERIFY(controller.start(job));
        QString why;
        QVERIFY(!controller.start(smallJob(root.path()), &why)); // one at a time
        QVERIFY(why.contains("already"));
        QTRY_VERIFY_WITH_TIMEOUT(r.result.has_value(), 120000);
        QCOMPARE(r.result->status, RunStatus::Completed);
        QCOMPARE(controller.state(), State::Idle);
        QCOMPARE(r.states.front(), State::Preparing);
        QVERIFY(std::find(r.states.begin(), r.states.end(), State::Running) != r.states.end());
        QCOMPARE(r.states.back(), State::Idle);

        // Batches in order, none lost: sequence 1..N, every step reported once, in order.
        for (std::size_t i = 0; i < r.batches.size(); ++i)
            QCOMPARE(r.batches[i]->sequence, std::uint64_t(i + 1));
        const std::int64_t stepsPerEpoch = (960 + 63) / 64; // 1200 samples, 0.2 held out
        QCOMPARE(std::int64_t(r.steps()), 2 * stepsPerEpoch);
        std::int64_t last = 0;
        std::size_t epochs = 0, histograms = 0;
        for (const auto& b : r.batches) {
            for (const TimedStep& s : b->steps) {
                QCOMPARE(s.report.globalStep, last + 1);
                last = s.report.globalStep;
                QVERIFY(std::isfinite(s.report.windowLoss));
            }
            epochs += b->epochs.size();
            histograms += b->histograms.size();
        }
        QCOMPARE(epochs, std::size_t(2));
        QVERIFY(histograms > 0);
        // Batches are not one per step: at most ~20 a second, plus the epoch ends.
        QVERIFY(r.batches.size() < r.steps());

        // The folder: graph.json as started, run.json completed, metrics, events, checkpoint.
        const QDir folder(r.result->folder);
        QCOMPARE(QFileInfo(r.folder).absoluteFilePath(), folder.absolutePath());
        QVERIFY(folder.absolutePath().startsWith(QDir(root.path()).filePath("mlp")));
        auto saved = nc::graph::loadGraphFile(folder.filePath("graph.json").toStdString());
        QVERIFY(saved);
        QCOMPARE(nc::graph::graphToJson(saved.value()), graphJson);
        QFile info(folder.filePath("run.json"));
        QVERIFY(info.open(QIODevice::ReadOnly));
        const QByteArray json = info.readAll();
        QVERIFY(json.contains("\"status\": \"completed\""));
        QVERIFY(json.contains("\"epochs_done\": 2"));
        QFile metrics(folder.filePath("metrics.csv"));
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        QCOMPARE(metrics.readAll().count('\n'), 3);
        QVERIFY(!folder.entryList({"events.out.tfevents.*"}).isEmpty());
        auto checkpoint =
            nc::engine::readCheckpoint(folder.filePath("checkpoint.safetensors").toStdString());
        QVERIFY2(checkpoint, checkpoint ? "" : checkpoint.message().c_str());
        QCOMPARE(checkpoint.value().metadata.at("epoch"), std::string("2"));

        // Reopened from disk, the run has the same epochs and every step point.
        RunLibrary library;
        library.setRoot(root.path());
        QSignalSpy scanned(&library, &RunLibrary::scanFinished);
        QVERIFY(scanned.wait(20000));
        QCOMPARE(library.runs().size(), std::size_t(1));
        const RunData& run = *library.runs().front();
        QCOMPARE(run.epochs.size(), std::size_t(2));
        QCOMPARE(run.stepsPerEpoch, stepsPerEpoch);
        QCOMPARE(run.scalars.at("step/batch_loss").size(), std::size_t(2 * stepsPerEpoch));
        QCOMPARE(run.scalars.at("epoch/val_accuracy").size(), std::size_t(2));
        QVERIFY(run.histograms.contains("weights/fc1.weight"));
        QVERIFY(run.scalars.contains("gradient_norm/fc1.weight"));
        QCOMPARE(run.info.status, RunStatus::Completed);

        // The comparison table of that run: a header and one row per epoch.
        library.setOverlaid(run.folder, true);
        ComparisonTable table(&library);
        const QStringList markdown = table.toMarkdown().trimmed().split('\n');
        QCOMPARE(markdown.size(), 4);
        QVERIFY(markdown[0].contains("train loss"));
        QVERIFY(markdown[2].startsWith("| 1 |"));
        QCOMPARE(table.toCsv().trimmed().split('\n').size(), 3);

        // Its charts: every curve's value under the cursor, and each export format.
        ChartsPanel charts(&library);
        charts.resize(900, 600);
        charts.show();
        QVERIFY(charts.redrawNow() > 0);
        ChartWidget* loss = charts.charts().front();
        QCOMPARE(loss->curveCount(), 2); // batch loss and validation loss
        const QString hover = loss->valuesAt(double(stepsPerEpoch));
        QVERIFY2(hover.contains(run.name + " · val loss"), qPrintable(hover));
        QTemporaryDir exports;
        for (const char* name : {"loss.png", "loss.svg", "loss.pdf", "loss.csv"}) {
            QString error;
            QVERIFY2(loss->exportTo(exports.filePath(name), &error), qPrintable(error));
            QVERIFY2(QFileInfo(exports.filePath(name)).size() > 100, name);
        }
        QFile csv(exports.filePath("loss.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        // A header, every batch-loss point and both validation points.
        QCOMPARE(csv.readAll().count('\n'), 1 + 2 * stepsPerEpoch + 2);
        QString error;
        QVERIFY(!loss->exportTo(exports.filePath("loss.txt"), &error));
        QVERIFY(error.contains(".png"));

        // Its histograms, as bands and as ridges: one entry per epoch.
        HistogramView histogramView(&library);
        histogramView.select(run.folder, "gradients/fc1.weight", HistogramView::Style::Bands);
        QCOMPARE(histogramView.epochsShown(), 2);
        QVERIFY(histogramView.plot()->graphCount() >= 9);
        histogramView.select(run.folder, "weights/fc1.weight", HistogramView::Style::Ridges);
        QCOMPARE(histogramView.epochsShown(), 2);
    }

    void pauseResumeAndStop() {
        QTemporaryDir root;
        TrainingController controller;
        Recorder r(controller);
        QVERIFY(controller.start(smallJob(root.path(), "mlp", 6000, 5)));
        QTRY_VERIFY_WITH_TIMEOUT(r.steps() >= 3, 60000);
        controller.pause();
        QCOMPARE(controller.state(), State::Paused);
        QTest::qWait(300); // a step in flight may still report
        const std::size_t pausedAt = r.steps();
        QTest::qWait(700);
        QCOMPARE(r.steps(), pausedAt); // nothing moves while paused
        controller.resume();
        QCOMPARE(controller.state(), State::Running);
        QTRY_VERIFY_WITH_TIMEOUT(r.steps() > pausedAt + 2, 60000);
        controller.pause(); // a stop wakes a paused run
        controller.stop();
        QCOMPARE(controller.state(), State::Stopping);
        QTRY_VERIFY_WITH_TIMEOUT(r.result.has_value(), 60000);
        QCOMPARE(r.result->status, RunStatus::Stopped);
        QCOMPARE(controller.state(), State::Idle);
        // The weights it stopped with load, and say where they stopped.
        QVERIFY(!r.result->stoppedWeights.isEmpty());
        auto stopped = nc::engine::readCheckpoint(r.result->stoppedWeights.toStdString());
        QVERIFY2(stopped, stopped ? "" : stopped.message().c_str());
        QCOMPARE(stopped.value().metadata.at("stopped"), std::string("true"));
        QVERIFY(std::stoll(stopped.value().metadata.at("step")) >= std::int64_t(pausedAt));
        QFile info(QDir(r.result->folder).filePath("run.json"));
        QVERIFY(info.open(QIODevice::ReadOnly));
        QVERIFY(info.readAll().contains("\"status\": \"stopped\""));
        // Back to Idle: a new run may start.
        QVERIFY(controller.start(smallJob(root.path(), "mlp", 300, 1)));
        QVERIFY(controller.stopAndWait(60000));
    }

    void errorMidRunNamesTheNode() {
        QTemporaryDir root;
        TrainingController controller;
        Recorder r(controller);
        TrainingJob job = smallJob(root.path(), "mlp", 1200, 3);
        job.settings.optimizer = "sgd";
        job.settings.lr = 1e30; // the weights overflow within a few steps
        QVERIFY(controller.start(job));
        QTRY_VERIFY_WITH_TIMEOUT(r.result.has_value(), 60000);
        QCOMPARE(r.result->status, RunStatus::Failed);
        QVERIFY2(r.result->message.contains("non-finite"), qPrintable(r.result->message));
        QVERIFY2(!r.result->node.isEmpty(), qPrintable(r.result->message));
        QVERIFY(job.graph.findByName(r.result->node.toStdString()));
        QCOMPARE(controller.state(), State::Idle);
        QFile info(QDir(r.result->folder).filePath("run.json"));
        QVERIFY(info.open(QIODevice::ReadOnly));
        QVERIFY(info.readAll().contains("\"status\": \"failed\""));
    }

    // Text data previews as its characters, not as pictures, and the vocabulary is counted.
    void textDataPreviewsAsText() {
        GraphDocument doc;
        nc::test::loadExample(doc, "char_lstm");
        DataPreview preview;
        QSignalSpy loaded(&preview, &DataPreview::loaded);
        preview.preview("synthetic:text?count=20", doc.graph());
        QVERIFY(loaded.wait(10000));
        QVERIFY2(preview.summary().contains("20 samples of 64, 38 classes (a vocabulary of 38 "
                                            "characters)"),
                 qPrintable(preview.summary()));
        QVERIFY2(preview.warning().isEmpty(), qPrintable(preview.warning()));
        QCOMPARE(preview.thumbnails(), 8);
        const QList<QLabel*> lines = preview.findChildren<QLabel*>();
        QVERIFY(std::any_of(lines.begin(), lines.end(), [](QLabel* l) {
            return l->text().size() == 64 && l->text().contains(' ');
        }));
    }

    void dataThatDoesNotFitFailsBeforeAnyFolder() {
        QTemporaryDir root;
        TrainingController controller;
        Recorder r(controller);
        TrainingJob job = smallJob(root.path());
        job.settings.data = "synthetic:shapes?count=10"; // 3x64x64 for a 1x28x28 Input
        QVERIFY(controller.start(job));
        QTRY_VERIFY_WITH_TIMEOUT(r.result.has_value(), 30000);
        QCOMPARE(r.result->status, RunStatus::Failed);
        QVERIFY2(r.result->message.contains("Input"), qPrintable(r.result->message));
        QVERIFY(r.result->folder.isEmpty());
        QVERIFY(QDir(root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty() ||
                QDir(QDir(root.path()).filePath("mlp")).isEmpty());
    }

    // A data set larger than memory fails the run with its size before anything is allocated
    // or any folder made (it ended the window with bad_alloc), and the preview says so too.
    void dataLargerThanMemoryIsRefusedWithItsSize() {
        QTemporaryDir root;
        TrainingController controller;
        Recorder r(controller);
        TrainingJob job = smallJob(root.path());
        job.settings.data = "synthetic:digits?count=10000000"; // 31.4 GB
        GraphDocument doc;
        nc::test::loadExample(doc, "mlp");
        DataPreview preview;
        QSignalSpy loaded(&preview, &DataPreview::loaded);
        nc::test::AddressSpaceLimit limit(2'000'000'000); // more than any machine has, here
        QVERIFY(limit.isSet());
        QVERIFY(controller.start(job));
        QTRY_VERIFY_WITH_TIMEOUT(r.result.has_value(), 30000);
        QCOMPARE(r.result->status, RunStatus::Failed);
        QVERIFY2(r.result->message.contains(
                     "synthetic:digits?count=10000000 needs 31.4 GB of memory, but "),
                 qPrintable(r.result->message));
        QVERIFY(r.result->folder.isEmpty());
        preview.preview("synthetic:digits?count=10000000", doc.graph());
        QVERIFY(loaded.wait(10000));
        QVERIFY2(preview.warning().contains("needs 31.4 GB of memory"),
                 qPrintable(preview.warning()));
    }

    void settingsEditsAreUndoableAndSaved() {
        QTemporaryDir dir;
        GraphDocument doc;
        nc::test::loadExample(doc, "mlp");
        auto s = doc.graph().training().value_or(nc::graph::TrainingSettings{});
        const double before = s.lr;
        s.lr = 0.123;
        s.threads = 2;
        doc.undoStack()->push(new SetTrainingSettingsCommand(&doc, s, "learning rate"));
        QCOMPARE(doc.graph().training()->lr, 0.123);
        const QString path = dir.filePath("g.json");
        QString error;
        QVERIFY(doc.save(path, &error));
        GraphDocument reopened;
        QVERIFY(reopened.load(path, &error));
        QCOMPARE(reopened.graph().training()->lr, 0.123);
        QCOMPARE(reopened.graph().training()->threads, std::int64_t(2));
        doc.undoStack()->undo();
        QCOMPARE(doc.graph().training().value_or(nc::graph::TrainingSettings{}).lr, before);
    }

    // A run that moved to the CPU after the GPU ran out of memory says so in the dock and the
    // status bar; the next run starts with the usual device note.
    void fallbackToTheCpuIsShown() {
        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        window.openExample("mlp");
        auto shows = [&](QWidget* where, const QString& text) {
            for (const QLabel* label : where->findChildren<QLabel*>())
                if (label->text().contains(text) && !label->isHidden())
                    return true;
            return false;
        };
        auto labelSays = [&](const QString& text) {
            for (const QLabel* label : window.trainingDock()->findChildren<QLabel*>())
                if (label->text().contains(text))
                    return true;
            return false;
        };
        QTRY_VERIFY(!labelSays("Looking for GPUs")); // the device list is in
        const QString message = "cuda:0 (NVIDIA H100) ran out of memory at step 12 (...)";
        emit window.training()->deviceFallback(message);
        QVERIFY(shows(window.trainingDock(), "Now on the CPU: " + message));
        QVERIFY(shows(window.statusBar(), message));
        emit window.training()->stateChanged(State::Preparing);
        QVERIFY(!shows(window.trainingDock(), "Now on the CPU"));
    }

    // The Training dock starts from the window's loaded weights (an import, File > Load
    // Weights) when asked: with a learning rate of 0 the run's checkpoint is those weights.
    // Weights that do not fit fail the run by name; with none loaded the choice is off.
    void fineTuneStartsFromTheLoadedWeights() {
        QTemporaryDir root, recovery;
        MainWindow window(recovery.path());
        window.runLibrary()->setRoot(root.path());
        window.openExample("mlp");
        auto s = window.document()->graph().training().value_or(nc::graph::TrainingSettings{});
        s.data = "synthetic:digits?count=64";
        s.epochs = 1;
        s.batch = 64;
        s.lr = 0;
        window.document()->undoStack()->push(
            new SetTrainingSettingsCommand(window.document(), s, "data"));
        TrainingDock* dock = window.trainingDock();
        auto* choice = dock->findChild<QCheckBox*>("startFromLoaded");
        QVERIFY(choice);
        QVERIFY(!choice->isEnabled());
        dock->setStartFromLoadedWeights(true);
        QVERIFY(!dock->startsFromLoadedWeights()); // nothing loaded

        auto model = nc::engine::Model::compile(window.document()->graph());
        QVERIFY(model);
        const nc::engine::SnapshotPtr loaded = nc::engine::initialWeights(model.value(), 77);
        window.loadedWeights()->set(loaded, "seed77.safetensors");
        QVERIFY(choice->isEnabled());
        QVERIFY(choice->text().contains("seed77.safetensors"));
        QVERIFY(!choice->isChecked()); // a fresh start stays the default
        choice->setChecked(true);
        QVERIFY(dock->startsFromLoadedWeights());

        Recorder r(*window.training());
        QVERIFY(dock->startTraining());
        QVERIFY(!choice->isEnabled()); // locked while the run goes
        QTRY_VERIFY_WITH_TIMEOUT(r.result.has_value(), 60000);
        QVERIFY2(r.result->status == RunStatus::Completed, qPrintable(r.result->message));
        auto checkpoint = nc::engine::readCheckpoint(
            QDir(r.result->folder).filePath("checkpoint.safetensors").toStdString());
        QVERIFY(checkpoint);
        const nc::engine::Tensor& saved = checkpoint.value().tensors.at("fc1.weight");
        const nc::engine::Tensor* start = loaded->find("fc1.weight");
        QVERIFY(start && saved.size() == start->size());
        QVERIFY(std::equal(saved.data(), saved.data() + saved.size(), start->data()));
        QVERIFY(choice->isEnabled());

        // Another graph's weights: the run fails naming the tensor, before any folder.
        auto other = std::make_shared<nc::engine::WeightSnapshot>(*loaded);
        other->tensors.front().second = nc::engine::Tensor({3, 3});
        window.loadedWeights()->set(other, "other.safetensors");
        choice->setChecked(true);
        r.result.reset();
        QVERIFY(dock->startTraining());
        QTRY_VERIFY_WITH_TIMEOUT(r.result.has_value(), 60000);
        QCOMPARE(r.result->status, RunStatus::Failed);
        QVERIFY2(
            r.result->message.contains("other.safetensors") &&
                r.result->message.contains(QString::fromStdString(other->tensors.front().first)),
            qPrintable(r.result->message));
        QVERIFY(r.result->folder.isEmpty());

        window.loadedWeights()->clear();
        QVERIFY(!choice->isEnabled());
        QVERIFY(!choice->isChecked());
        QVERIFY(!dock->startsFromLoadedWeights());
    }

    void windowLocksStructureAndQuitsCleanly() {
        QTemporaryDir root, recovery;
        auto* window = new MainWindow(recovery.path());
        window->runLibrary()->setRoot(root.path());
        window->openExample("mlp");
        auto s = window->document()->graph().training().value_or(nc::graph::TrainingSettings{});
        s.data = "synthetic:digits?count=6000";
        s.epochs = 20;
        s.batch = 32;
        window->document()->undoStack()->push(
            new SetTrainingSettingsCommand(window->document(), s, "data"));
        QSignalSpy refused(window->document(), &GraphDocument::editRefused);
        QVERIFY(window->trainingDock()->startTraining());
        QTRY_VERIFY_WITH_TIMEOUT(window->training()->state() == State::Running, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window->trainingDock()->progressText().contains("Epoch 1/20"),
                                 60000);

        // Structural edits are refused; renaming and moving are not.
        const auto* fc1 = window->document()->graph().findByName("fc1");
        QVERIFY(fc1);
        const auto nodes = window->document()->graph().nodeCount();
        QCOMPARE(addLayer(window->document(), "Dense", {0, 0}), nc::graph::kNoNode);
        QCOMPARE(window->document()->graph().nodeCount(), nodes);
        QCOMPARE(refused.count(), 1);
        QVERIFY(!setParameter(window->document(), fc1->id, "units", std::int64_t(10)).isEmpty());
        QVERIFY(renameNode(window->document(), fc1->id, "hidden").isEmpty());
        QCOMPARE(window->document()->graph().node(fc1->id)->name, std::string("hidden"));
        QVERIFY(window->document()->canUndoNow()); // the rename
        window->document()->undoStack()->undo();
        QVERIFY(!window->document()->canUndoNow()); // the settings edit waits

        // The run shows up live in the run list, overlaid.
        const QString folder = window->training()->runFolder();
        QVERIFY(!folder.isEmpty());
        QVERIFY(window->runLibrary()->find(folder));
        QVERIFY(window->runLibrary()->isOverlaid(folder));

        // Closing the window stops the run and leaves weights that load.
        window->document()->undoStack()->setClean();
        QVERIFY(window->close());
        QCOMPARE(window->training()->state(), State::Idle);
        auto stopped =
            nc::engine::readCheckpoint(QDir(folder).filePath("stopped.safetensors").toStdString());
        QVERIFY2(stopped, stopped ? "" : stopped.message().c_str());
        QVERIFY(stopped.value().tensors.size() > 0);
        delete window;
    }
};

QTEST_MAIN(TrainingRunTest)
#include "tst_trainingrun.moc"
