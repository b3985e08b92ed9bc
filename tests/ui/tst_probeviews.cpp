// The Probe and Filters docks: a drawing becomes the input tensor, a selected wire is probed
// off the GUI thread, the window's pictures and figures are netcanvas-cli's to the pixel,
// train mode shows dropout, and bad input leaves what was there (tst_probeweights: which
// weights it probes with).

#include "probetesting.h"
#include "uitesting.h"

#include "../cli/clirunner.h"
#include "../engine/addressspacelimit.h"

#include "ui/documentactions.h"
#include "ui/graphscene.h"
#include "ui/graphview.h"
#include "ui/mainwindow.h"
#include "ui/nodeitem.h"
#include "ui/probe/classifierview.h"
#include "ui/probe/drawingcanvas.h"
#include "ui/probe/featuremapview.h"
#include "ui/probe/filtersview.h"
#include "ui/probe/layerhealthview.h"
#include "ui/probe/probeinput.h"
#include "ui/probe/probepanel.h"
#include "ui/probe/reconstructionview.h"
#include "ui/probe/saliencyview.h"
#include "ui/probe/sequenceview.h"
#include "ui/probe/stepgradientchart.h"
#include "ui/probe/tensorhistogram.h"
#include "ui/probe/vectorview.h"

#include "engine/data/dataspec.h"
#include "engine/probe/probeweights.h"

#include <QDockWidget>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <numeric>

using namespace nc::ui;
using nc::test::nextProbe;
using nc::test::probeSample;
using nc::test::selectWireOutOf;

namespace {

bool samePixels(QImage a, QImage b) {
    a = a.convertToFormat(QImage::Format_RGB32);
    b = b.convertToFormat(QImage::Format_RGB32);
    return a.size() == b.size() && a == b;
}

QJsonObject cliJson(const QStringList& args) {
    const nc::test::CliRun run = nc::test::runCli(args);
    if (run.exitCode != 0)
        qWarning("%s", qPrintable(run.err));
    return QJsonDocument::fromJson(run.out.toUtf8()).object();
}

} // namespace

class ProbeViewsTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    // A 28 x 28 canvas shown 10 times enlarged: one click inks the pixels within the brush.
    void drawingBecomesTheInput() {
        DrawingCanvas canvas;
        canvas.resize(280, 280);
        canvas.setInputShape(1, 28, 28);
        canvas.setBrushRadius(1.5);
        QSignalSpy changed(&canvas, &DrawingCanvas::changed);
        QTest::mouseClick(&canvas, Qt::LeftButton, {}, QPoint(145, 145)); // pixel (14, 14)
        QVERIFY(changed.count() >= 1);
        const nc::engine::Tensor x = canvas.tensor();
        QCOMPARE(x.dims(), (nc::engine::Dims{1, 1, 28, 28}));
        auto at = [&](int row, int col) { return x[row * 28 + col]; };
        QCOMPARE(at(14, 14), 1.0f);
        QCOMPARE(at(14, 15), 1.0f); // 1 pixel away: inside the radius
        QCOMPARE(at(14, 16), 0.0f); // 2 pixels away: outside, past the soft edge
        QVERIFY(std::abs(at(15, 15) - float(2.0 - std::sqrt(2.0))) < 1e-5f); // the soft edge
        QCOMPARE(at(0, 0), 0.0f);
        double total = 0;
        for (std::int64_t i = 0; i < x.size(); ++i)
            total += x[i];
        QVERIFY(std::abs(total - (5 + 4 * (2 - std::sqrt(2.0)))) < 1e-4); // 5 full, 4 soft
        // A stroke inks a line; the right button erases.
        QTest::mousePress(&canvas, Qt::LeftButton, {}, QPoint(25, 205));
        QTest::mouseMove(&canvas, QPoint(255, 205));
        QTest::mouseRelease(&canvas, Qt::LeftButton, {}, QPoint(255, 205));
        for (int col = 3; col <= 24; ++col)
            QCOMPARE(canvas.tensor()[20 * 28 + col], 1.0f);
        QTest::mouseClick(&canvas, Qt::RightButton, {}, QPoint(145, 145));
        QCOMPARE(canvas.tensor()[14 * 28 + 14], 0.0f);
        canvas.clear();
        QVERIFY(canvas.isBlank());
        // RGB inputs get the drawing in every channel.
        canvas.setInputShape(3, 8, 8);
        canvas.resize(160, 160);
        QTest::mouseClick(&canvas, Qt::LeftButton, {}, QPoint(90, 90));
        const nc::engine::Tensor rgb = canvas.tensor();
        QCOMPARE(rgb.dims(), (nc::engine::Dims{1, 3, 8, 8}));
        QCOMPARE(rgb[0 * 64 + 4 * 8 + 4], 1.0f);
        QCOMPARE(rgb[2 * 64 + 4 * 8 + 4], 1.0f);
    }

    // The window's probe of conv1 for sample 3 and `netcanvas-cli visualize activations`
    // agree on every pixel and every figure; so do the conv1 filters.
    void windowAndCliGiveTheSamePixels() {
        QTemporaryDir dir, recovery;
        MainWindow window(recovery.path());
        window.openExample("mnist_cnn");
        selectWireOutOf(window, "conv1");
        ProbePanel* probe = window.probe();
        QCOMPARE(probe->edge().node, window.document()->graph().findByName("conv1")->id);
        probeSample(probe, 3);
        QVERIFY2(probe->lastResult(), qPrintable(probe->statusText()));
        const ProbedEdge& e = probe->lastResult()->edges.front();
        QCOMPARE(e.value.dims(), (nc::engine::Dims{32, 24, 24}));

        const QString example = nc::test::sourcePath("resources/examples/mnist_cnn.json");
        const QString png = dir.filePath("conv1.png");
        const QJsonObject j = cliJson({"visualize", "activations", example, "--edge", "conv1",
                                       "--input", "synthetic:digits#3", "--out", png, "--json"});
        QVERIFY(!j.isEmpty());
        QVERIFY(samePixels(probe->picture(), QImage(png)));
        QCOMPARE(j["min"].toDouble(), e.stats.min);
        QCOMPARE(j["max"].toDouble(), e.stats.max);
        QCOMPARE(j["mean"].toDouble(), e.stats.mean);
        QCOMPARE(j["zeros"].toDouble(), e.stats.zeroShare);

        // Another style, and the enlarged map of channel 5.
        nc::vis::MapStyle style;
        style.colormap = nc::vis::Colormap::Diverging;
        style.sharedScale = true;
        style.zeroCentred = true;
        probe->maps()->setStyle(style);
        QVERIFY(nc::test::runCli({"visualize", "activations", example, "--edge", "conv1", "--input",
                                  "synthetic:digits#3", "--colormap", "diverging", "--shared",
                                  "--zero-centred", "--out", png, "--force"}) // replaces it
                    .exitCode == 0);
        QVERIFY(samePixels(probe->picture(), QImage(png)));

        // Behind another tab the Filters dock does not draw; shown, it catches up.
        FiltersView* filters = window.filters();
        const int drawsHidden = filters->drawsDone();
        QSignalSpy drawn(filters, &FiltersView::drawn);
        QVERIFY(filters->selectLayer("conv1") || filters->layer() == "conv1");
        QTest::qWait(300);
        QCOMPARE(filters->drawsDone(), drawsHidden);
        window.show();
        auto* dock = window.findChild<QDockWidget*>("filters");
        QVERIFY(dock);
        dock->show();
        dock->raise();
        QTRY_VERIFY_WITH_TIMEOUT(!filters->picture().isNull() && filters->layer() == "conv1",
                                 10000);
        QTRY_VERIFY(drawn.count() > 0 || filters->drawsDone() > 0);
        QVERIFY(
            nc::test::runCli(
                {"visualize", "filters", example, "--layer", "conv1", "--out", png, "--force"})
                .exitCode == 0);
        QTRY_VERIFY_WITH_TIMEOUT(samePixels(filters->picture(), QImage(png)), 10000);
        window.document()->undoStack()->setClean();
    }

    void trainModeShowsDropout() {
        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        window.openExample("mnist_cnn");
        selectWireOutOf(window, "drop1");
        ProbePanel* probe = window.probe();
        probeSample(probe, 0);
        const double evalZeros = probe->lastResult()->edges.front().stats.zeroShare;
        probe->setTrainMode(true);
        QVERIFY(nextProbe(probe));
        const double trainZeros = probe->lastResult()->edges.front().stats.zeroShare;
        QVERIFY2(trainZeros > evalZeros + 0.15,
                 qPrintable(QString("%1 vs %2").arg(trainZeros).arg(evalZeros)));
        // A vector: the logits, with the top guesses as probabilities.
        probe->setTrainMode(false);
        selectWireOutOf(window, "logits");
        QTRY_COMPARE_WITH_TIMEOUT(probe->lastResult()->edges.front().value.dims(),
                                  (nc::engine::Dims{10}), 10000);
        QVERIFY(probe->vectors()->topText().contains("softmax"));
        const auto top = topEntries(probe->lastResult()->edges.front().value, 10, true);
        double sum = 0;
        for (const auto& [index, p] : top)
            sum += p;
        QVERIFY(std::abs(sum - 1.0) < 1e-9);
        double counted = 0;
        for (double c : probe->histogram()->counts())
            counted += c;
        QCOMPARE(counted, 10.0);
        window.document()->undoStack()->setClean();
    }

    // An Input of rows (28 steps of 28 values) takes a picture row by row, as its data set
    // does: sample #3 saved as a PNG and opened as an Image File gives sample #3's numbers, a
    // blank picture others, and the Draw tab's strokes reach the LSTM too.
    void picturesReachSequenceInputs() {
        QTemporaryDir dir;
        MainWindow window(dir.path());
        window.openExample("rnn_rows_mnist");
        selectWireOutOf(window, "logits");
        ProbePanel* probe = window.probe();
        probeSample(probe, 3);
        const nc::engine::Tensor fromData = probe->lastResult()->edges.front().value;
        const nc::engine::Tensor sample = probe->inputs()->input();
        QCOMPARE(sample.size(), std::int64_t(28 * 28));
        QImage picture(28, 28, QImage::Format_Grayscale8);
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x)
                picture.scanLine(y)[x] =
                    uchar(std::lround(std::clamp(sample[y * 28 + x], 0.0f, 1.0f) * 255));
        const QString png = dir.filePath("sample3.png");
        QVERIFY(picture.save(png));
        QVERIFY(probe->inputs()->openImage(png));
        nc::test::waitForProbeOf(probe, "sample3.png");
        const nc::engine::Tensor fromImage = probe->lastResult()->edges.front().value;
        QCOMPARE(fromImage.size(), fromData.size());
        for (std::int64_t i = 0; i < fromData.size(); ++i) // 8-bit pixels: nearly the same
            QVERIFY2(std::abs(fromImage[i] - fromData[i]) < 0.02f,
                     qPrintable(QString("logit %1: %2 from the image, %3 from the data set")
                                    .arg(i)
                                    .arg(fromImage[i])
                                    .arg(fromData[i])));
        QImage blank(28, 28, QImage::Format_Grayscale8);
        blank.fill(0);
        const QString empty = dir.filePath("blank.png");
        QVERIFY(blank.save(empty));
        QVERIFY(probe->inputs()->openImage(empty));
        nc::test::waitForProbeOf(probe, "blank.png");
        const nc::engine::Tensor fromBlank = probe->lastResult()->edges.front().value;
        double apart = 0;
        for (std::int64_t i = 0; i < fromData.size(); ++i)
            apart += std::abs(fromBlank[i] - fromImage[i]);
        QVERIFY2(apart > 1e-3, "a blank picture gives the digit's numbers");
        // A stroke down the middle, drawn on the Draw tab.
        probe->inputs()->setSource(ProbeInputPanel::Source::Drawing);
        DrawingCanvas* canvas = probe->inputs()->canvas();
        canvas->resize(280, 280);
        QTest::mousePress(canvas, Qt::LeftButton, {}, QPoint(140, 40));
        QTest::mouseMove(canvas, QPoint(140, 240));
        QTest::mouseRelease(canvas, Qt::LeftButton, {}, QPoint(140, 240));
        QVERIFY(!canvas->isBlank());
        nc::test::waitForProbeOf(probe, "drawing");
        const nc::engine::Tensor drawn = probe->inputs()->input();
        QCOMPARE(drawn.size(), std::int64_t(28 * 28));
        QCOMPARE(drawn[14 * 28 + 14], 1.0f); // row 14 is step 14, value 14 its middle
        const nc::engine::Tensor fromDrawing = probe->lastResult()->edges.front().value;
        apart = 0;
        for (std::int64_t i = 0; i < fromData.size(); ++i)
            apart += std::abs(fromDrawing[i] - fromBlank[i]);
        QVERIFY2(apart > 1e-3, "a drawing gives a blank picture's numbers");
        window.document()->undoStack()->setClean();
    }

    // A recurrent layer's states over time: a heatmap with one column per step and one row
    // per unit, the value under the cursor, and the same for a T x F input.
    void sequencesShowTimeAcross() {
        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        window.openExample("rnn_rows_mnist");
        const auto* lstm = window.document()->graph().findByName("lstm");
        QCOMPARE(setParameter(window.document(), lstm->id, "return_sequences", true), QString());
        selectWireOutOf(window, "lstm");
        ProbePanel* probe = window.probe();
        probeSample(probe, 2);
        QTRY_COMPARE_WITH_TIMEOUT(probe->lastResult()->edges.front().value.dims(),
                                  (nc::engine::Dims{28, 128}), 10000);
        SequenceView* view = probe->sequences();
        QVERIFY(view->isVisibleTo(probe));
        const nc::vis::SequenceScale scale = nc::vis::sequenceScale(28, 128);
        QCOMPARE(view->picture().size(), QSize(28 * scale.x, 128 * scale.y));
        QCOMPARE(probe->picture(), view->picture());
        // The cell of step 27, unit 5 holds states[27][5].
        const nc::engine::Tensor& states = probe->lastResult()->edges.front().value;
        const QString cell = view->describeAt(QPoint(27 * scale.x + scale.x / 2, 5 * scale.y));
        QCOMPARE(cell, QString("step 27, unit 5: %1").arg(double(states[27 * 128 + 5]), 0, 'g', 5));
        QVERIFY(view->describeAt(QPoint(28 * scale.x, 0)).isEmpty()); // beyond the last step
        QVERIFY(view->hoverText().contains("128 units x 28 steps"));
        // The LSTM's cell state and gates over time, from the same probe.
        QCOMPARE(view->shownChoices(),
                 QStringList({"output", "cell state c", "input gate i", "forget gate f",
                              "cell candidate g", "output gate o"}));
        QVERIFY(probe->lastResult()->trace.has_value());
        view->showChoice(3);
        const nc::engine::Tensor& forget = probe->lastResult()->trace->rows[3].second;
        QCOMPARE(probe->lastResult()->trace->rows[3].first, std::string("f"));
        QCOMPARE(view->describeAt(QPoint(27 * scale.x + scale.x / 2, 5 * scale.y)),
                 QString("step 27, unit 5: %1").arg(double(forget[27 * 128 + 5]), 0, 'g', 5));
        view->showChoice(0);
        // The input rows are a sequence too; the final state is a vector.
        selectWireOutOf(window, "input");
        QTRY_COMPARE_WITH_TIMEOUT(probe->lastResult()->edges.front().value.dims(),
                                  (nc::engine::Dims{28, 28}), 10000);
        QVERIFY(view->hoverText().contains("28 units x 28 steps"));
        QCOMPARE(setParameter(window.document(), lstm->id, "return_sequences", false), QString());
        selectWireOutOf(window, "lstm");
        QTRY_COMPARE_WITH_TIMEOUT(probe->lastResult()->edges.front().value.dims(),
                                  (nc::engine::Dims{128}), 10000);
        // The final state alone is a vector; the layer's history over time is what is shown.
        QVERIFY(view->isVisibleTo(probe));
        QCOMPARE(view->shownChoices().front(), QString("hidden state h"));
        QCOMPARE(view->shownChoices().size(), 6);
        // Layer Health charts the LSTM's gradient for each of its 28 steps.
        QTRY_VERIFY_WITH_TIMEOUT(
            !window.layerHealth()->layers().empty() &&
                window.layerHealth()->layers().front().stepGradientNorms.size() == 28,
            60000);
        QCOMPARE(window.layerHealth()->stepGradients()->curves(), 1);
        QVERIFY2(window.layerHealth()->stepGradients()->summary().startsWith("lstm: step 0 gets "),
                 qPrintable(window.layerHealth()->stepGradients()->summary()));
        window.document()->undoStack()->setClean();
    }

    // The Classifier dock's confusion matrix is the CLI's, adds up to the validation set, and
    // a click on a misclassified sample probes it.
    void classifierDock() {
        QTemporaryDir dir, recovery;
        MainWindow window(recovery.path());
        window.openExample("mnist_cnn");
        ClassifierView* view = window.classifier();
        QTRY_VERIFY_WITH_TIMEOUT(view->shown(), 60000);
        const nc::engine::ClassifierReport& r = *view->shown();
        const auto data = window.probe()->inputs()->dataset();
        QVERIFY(data);
        const std::int64_t validation = nc::engine::splitTail(*data, 0.2).second.size();
        QCOMPARE(r.samples, validation);
        QCOMPARE(std::accumulate(r.confusion.begin(), r.confusion.end(), std::int64_t(0)),
                 validation);
        const QString png = dir.filePath("confusion.png");
        QCOMPARE(nc::test::runCli({"visualize", "confusion",
                                   nc::test::sourcePath("resources/examples/mnist_cnn.json"),
                                   "--out", png})
                     .exitCode,
                 0);
        QVERIFY(samePixels(view->picture(), QImage(png)));
        QSignalSpy chosen(view, &ClassifierView::sampleChosen);
        auto* gallery = view->findChild<QListWidget*>();
        QVERIFY(gallery && gallery->count() > 0);
        const nc::engine::Misclassified& first = r.misclassified.front();
        emit gallery->itemClicked(gallery->item(0));
        QCOMPARE(chosen.count(), 1);
        const int index = chosen.front().front().toInt();
        QCOMPARE(index, int(data->size() - validation + first.index));
        QCOMPARE(int(data->tables().targets[index]), first.truth);
        QCOMPARE(window.probe()->inputs()->sampleIndex(), index);
        // A smaller data set comes (other data, another graph): the report on the slider still
        // shows its own set's samples (it read rows past the new set's end and crashed).
        auto few = nc::engine::loadDataset("synthetic:digits?count=50", data->sampleDims());
        QVERIFY(few);
        const int done = view->evaluationsDone();
        view->evaluate(nullptr, 1, "again", true); // on the whole set...
        view->setData(std::make_shared<const nc::engine::Dataset>(std::move(few).value()));
        QTRY_VERIFY_WITH_TIMEOUT(view->evaluationsDone() > done, 60000); // ...shown after
        QCOMPARE(view->entries(), 2);
        QCOMPARE(view->shown()->samples, validation);
        QVERIFY(gallery->count() > 0);
        // Layer Health: conv1's 32 channels and every weighted layer's gradient norm.
        QTRY_VERIFY_WITH_TIMEOUT(!window.layerHealth()->layers().empty(), 60000);
        const auto& layers = window.layerHealth()->layers();
        QCOMPARE(layers.front().name, std::string("conv1"));
        QCOMPARE(layers.front().units, std::int64_t(32));
        QVERIFY(layers.front().deadShare.has_value());
        QCOMPARE(layers.back().name, std::string("logits"));
        QVERIFY(layers.back().gradientNorm && *layers.back().gradientNorm > 0);
        window.document()->undoStack()->setClean();
    }

    // The Reconstructions dock shows the autoencoder's output beside its input, as the CLI does.
    void reconstructionsDock() {
        QTemporaryDir dir, recovery;
        MainWindow window(recovery.path());
        window.openExample("conv_autoencoder");
        ReconstructionView* view = window.reconstructions();
        QTRY_VERIFY_WITH_TIMEOUT(!view->picture().isNull(), 60000);
        QVERIFY(view->statusText().contains("deconv1.out"));
        const QString png = dir.filePath("reconstructions.png");
        QCOMPARE(nc::test::runCli({"visualize", "reconstructions",
                                   nc::test::sourcePath("resources/examples/conv_autoencoder.json"),
                                   "--out", png})
                     .exitCode,
                 0);
        QVERIFY(samePixels(view->picture(), QImage(png)));
        window.openExample("mnist_cnn"); // no reconstruction: it says so
        QTRY_VERIFY_WITH_TIMEOUT(view->statusText().contains("reconstructs nothing"), 60000);
        window.document()->undoStack()->setClean();
    }

    // The Saliency dock explains the probed sample: Grad-CAM on the probed conv wire, the
    // same pixels as the CLI's.
    void saliencyDock() {
        QTemporaryDir dir, recovery;
        MainWindow window(recovery.path());
        window.show();
        window.openExample("mnist_cnn");
        auto* dock = window.findChild<QDockWidget*>("saliency");
        dock->show();
        dock->raise();
        SaliencyView* view = window.saliency();
        view->setMethod(SaliencyView::Method::GradCam);
        selectWireOutOf(window, "conv2");
        probeSample(window.probe(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(view->statusText().contains("Grad-CAM on conv2.out") &&
                                     !view->picture().isNull(),
                                 20000);
        const QString png = dir.filePath("gradcam.png");
        QCOMPARE(
            nc::test::runCli({"visualize", "saliency",
                              nc::test::sourcePath("resources/examples/mnist_cnn.json"), "--input",
                              "synthetic:digits#2", "--edge", "conv2", "--out", png})
                .exitCode,
            0);
        QTRY_VERIFY_WITH_TIMEOUT(samePixels(view->picture(), QImage(png)), 10000);
        // Grad-CAM on a vector says what it needs.
        selectWireOutOf(window, "fc1");
        QTRY_VERIFY_WITH_TIMEOUT(view->statusText().contains("feature maps"), 20000);
        window.document()->undoStack()->setClean();
    }

    // A click on an output port (press and release, no drag) probes that port.
    // The probe's data set too is refused with its size when it is larger than memory, and
    // the panel says so instead of crashing.
    void probeDataLargerThanMemoryIsRefused() {
        GraphDocument doc;
        nc::test::loadExample(doc, "mlp");
        nc::graph::Graph graph = doc.graph();
        nc::graph::TrainingSettings settings =
            graph.training().value_or(nc::graph::TrainingSettings{});
        settings.data = "synthetic:digits?count=10000000";
        graph.setTraining(settings);
        ProbeInputPanel panel;
        QSignalSpy loaded(&panel, &ProbeInputPanel::datasetLoaded);
        nc::test::AddressSpaceLimit limit(2'000'000'000);
        QVERIFY(limit.isSet());
        panel.setGraph(graph);
        QVERIFY(loaded.wait(30000));
        QVERIFY(!panel.dataset());
        QVERIFY(!panel.hasInput());
        const QList<QLabel*> labels = panel.findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(), [](QLabel* l) {
            return l->text().contains("needs 31.4 GB of memory, but ");
        }));
    }

    void clickingAnOutputPortProbesIt() {
        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.openExample("mnist_cnn");
        window.view()->fitToContents();
        QApplication::processEvents();
        const nc::graph::NodeId pool1 = window.document()->graph().findByName("pool1")->id;
        const QPoint at =
            window.view()->mapFromScene(window.scene()->nodeItem(pool1)->portScenePos({true, 0}));
        const std::size_t edges = window.document()->graph().edges().size();
        QTest::mouseClick(window.view()->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(window.probe()->edge().node, pool1);
        QCOMPARE(window.document()->graph().edges().size(), edges); // no wire was made
        window.document()->undoStack()->setClean();
    }

    // Pinned wires come with every probe, from the same run of their ancestors.
    void pinnedWires() {
        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        window.openExample("mnist_cnn");
        ProbePanel* probe = window.probe();
        selectWireOutOf(window, "conv1");
        probeSample(probe, 5);
        probe->pinEdge(probe->edge());
        probe->pinEdge({window.document()->graph().findByName("pool2")->id, 0});
        probe->pinEdge(probe->edge()); // once is enough
        QCOMPARE(probe->pinned().size(), std::size_t(2));
        selectWireOutOf(window, "logits");
        QTRY_VERIFY_WITH_TIMEOUT(!probe->runner()->busy() && probe->lastResult() &&
                                     probe->lastResult()->edges.size() == 3,
                                 20000);
        const auto& edges = probe->lastResult()->edges;
        QCOMPARE(edges[0].value.dims(), (nc::engine::Dims{10}));
        QCOMPARE(edges[1].value.dims(), (nc::engine::Dims{32, 24, 24}));
        QCOMPARE(edges[2].value.dims(), (nc::engine::Dims{32, 4, 4}));
        auto* list = probe->findChild<QListWidget*>("pinned");
        QVERIFY(list);
        QTRY_COMPARE(list->count(), 2);
        probe->unpinEdge(edges[1].edge);
        QTRY_VERIFY_WITH_TIMEOUT(!probe->runner()->busy() && probe->lastResult()->edges.size() == 2,
                                 20000);
        window.document()->undoStack()->setClean();
    }

    // A card's Check Gradients: backward against finite differences, per parameter.
    void gradientCheck() {
        QTemporaryDir recovery;
        MainWindow window(recovery.path());
        window.openExample("mlp");
        if (!window.probe()->inputs()->dataset())
            QVERIFY(
                QSignalSpy(window.probe()->inputs(), &ProbeInputPanel::datasetLoaded).wait(30000));
        QSignalSpy done(&window, &MainWindow::gradientCheckFinished);
        window.checkGradients(window.document()->graph().findByName("fc2")->id);
        QVERIFY(done.wait(60000));
        const QString report = done.takeFirst().front().toString();
        QVERIFY2(report.contains(QRegularExpression("fc2.weight: 2[2-4] of 24 elements agree")),
                 qPrintable(report));
        QVERIFY2(report.contains("fc2.bias"), qPrintable(report));
        QVERIFY2(report.contains("They agree"), qPrintable(report));
        window.checkGradients(window.document()->graph().findByName("drop1")->id);
        QVERIFY(done.wait(60000));
        QVERIFY(done.takeFirst().front().toString().contains("no weights"));
        window.document()->undoStack()->setClean();
    }
};

QTEST_MAIN(ProbeViewsTest)
#include "tst_probeviews.moc"
