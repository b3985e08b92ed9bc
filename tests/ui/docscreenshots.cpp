// Takes the documentation's pictures (docs/screenshots/) from the real window, popups and
// menus included, so run it on an X display: `make screenshots` runs it under xvfb-run.
// Not a test; it only writes PNG files into the folder it is given.

#include "ui/applylayout.h"
#include "ui/commands/trainingsettingscommand.h"
#include "ui/documentactions.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/graphview.h"
#include "ui/mainwindow.h"
#include "ui/nodeitem.h"
#include "ui/probe/classifierview.h"
#include "ui/probe/drawingcanvas.h"
#include "ui/probe/filtersview.h"
#include "ui/probe/probeinput.h"
#include "ui/probe/probepanel.h"
#include "ui/probe/reconstructionview.h"
#include "ui/probe/saliencyview.h"
#include "ui/probe/sequenceview.h"
#include "ui/summarywidget.h"
#include "ui/training/comparisontable.h"
#include "ui/training/histogramview.h"
#include "ui/training/runlibrary.h"
#include "ui/training/trainingcontroller.h"
#include "ui/training/trainingdock.h"

#include <QApplication>
#include <QDockWidget>
#include <QFileInfo>
#include <QMouseEvent>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>

#include <cstdio>

using namespace nc::ui;

namespace {

void settle(int ms = 250) {
    QTimer wait;
    wait.setSingleShot(true);
    wait.start(ms);
    while (wait.isActive())
        QApplication::processEvents(QEventLoop::AllEvents, 20);
}

bool saveScreen(const QString& path, const QRect& area) {
    const QPixmap shot = QGuiApplication::primaryScreen()->grabWindow(0, area.x(), area.y(),
                                                                      area.width(), area.height());
    const bool ok = shot.save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

void prepare(MainWindow& window, const QString& example) {
    window.document()->undoStack()->setClean(); // no "save changes?" between pictures
    window.openExample(example);
    window.setLayoutDirection(LayoutDirection::LeftToRight);
    window.autoLayout();
    settle();
}

// Trains the graph in the window and waits for the run to end; its folder, or empty when it
// did not complete.
QString trainOpenGraph(MainWindow& window, const QString& data, int epochs) {
    // Set in the Training dock's settings, as a user would.
    auto settings = window.document()->graph().training().value_or(nc::graph::TrainingSettings{});
    settings.data = data.toStdString();
    settings.epochs = epochs;
    window.document()->undoStack()->push(
        new SetTrainingSettingsCommand(window.document(), settings, "data"));
    settle(1500); // the data preview
    std::printf("training on %s...\n", qPrintable(data));
    if (!window.trainingDock()->startTraining())
        return {};
    bool done = false;
    QString folder;
    auto connection = QObject::connect(window.training(), &TrainingController::runFinished,
                                       [&](const TrainingResult& r) {
                                           done = true;
                                           if (r.status == nc::engine::RunStatus::Completed)
                                               folder = r.folder;
                                       });
    while (!done)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    QObject::disconnect(connection);
    return folder;
}

bool trainExample(MainWindow& window, const char* example, const QString& data, int epochs) {
    prepare(window, example);
    return !trainOpenGraph(window, data, epochs).isEmpty();
}

// Floats a dock at a size that shows all of it, takes its picture, and docks it back.
bool floatingShot(MainWindow& window, const char* name, const QString& path, QSize size) {
    auto* dock = window.findChild<QDockWidget*>(name);
    dock->show();
    dock->setFloating(true);
    dock->setGeometry(QRect(QPoint(80, 60), size));
    dock->raise();
    settle(2500); // its background work
    const bool ok = saveScreen(path, dock->frameGeometry());
    dock->setFloating(false);
    settle(200);
    return ok;
}

// The LSTM over image rows, with every step's state kept, trained briefly: its states for a
// digit over the 28 rows.
bool recurrentPictures(MainWindow& window, const QString& out) {
    prepare(window, "rnn_rows_mnist");
    const auto* lstm = window.document()->graph().findByName("lstm");
    if (!setParameter(window.document(), lstm->id, "return_sequences", true).isEmpty())
        return false;
    const QString folder = trainOpenGraph(window, "synthetic:digits?rows&count=6000", 2);
    if (folder.isEmpty())
        return false;
    window.findChild<QDockWidget*>("probe")->raise();
    window.probe()->useCheckpoint(folder + "/checkpoint.safetensors", "LSTM rows, epoch 2");
    settle(800);
    window.scene()->clearSelection();
    window.scene()
        ->edgeItem(window.document()->graph().edgesOutOf(lstm->id).front())
        ->setSelected(true);
    window.probe()->inputs()->setSampleIndex(7);
    settle(2500);
    if (!floatingShot(window, "probe", out + "/probe-lstm-states.png", QSize(900, 780)))
        return false;
    // The same digit's forget gate over the rows.
    SequenceView* view = window.probe()->sequences();
    view->showChoice(int(view->shownChoices().indexOf("forget gate f")));
    return floatingShot(window, "probe", out + "/probe-lstm-forget-gate.png", QSize(900, 780));
}

// The Layer Health dock of the LSTM over image rows (answering after the last row), trained
// for an epoch, with its gradient per time step over the 28 rows.
bool stepGradientPicture(MainWindow& window, const QString& out) {
    prepare(window, "rnn_rows_mnist");
    if (trainOpenGraph(window, "synthetic:digits?rows&count=4000", 1).isEmpty())
        return false;
    settle(4000);
    return floatingShot(window, "layerhealth", out + "/layer-health-lstm.png", QSize(760, 520));
}

// Drags the mouse over the drawing canvas through `points` (in input pixels).
void drawStroke(DrawingCanvas* canvas, const std::vector<QPointF>& points) {
    auto at = [canvas](QPointF p) {
        const QPointF origin = canvas->toInput(QPointF(0, 0));
        const QPointF unit = canvas->toInput(QPointF(1, 1)) - origin;
        return QPointF((p.x() - origin.x()) / unit.x(), (p.y() - origin.y()) / unit.y());
    };
    auto send = [canvas](QEvent::Type type, QPointF pos, Qt::MouseButtons buttons) {
        QMouseEvent event(type, pos, canvas->mapToGlobal(pos), Qt::LeftButton, buttons,
                          Qt::NoModifier);
        QApplication::sendEvent(canvas, &event);
    };
    send(QEvent::MouseButtonPress, at(points.front()), Qt::LeftButton);
    for (const QPointF& p : points)
        send(QEvent::MouseMove, at(p), Qt::LeftButton);
    send(QEvent::MouseButtonRelease, at(points.back()), Qt::NoButton);
}

// Probing after training: the Standard CNN's conv1 for a hand-drawn 7, and its filters.
bool probePictures(MainWindow& window, const QString& out, const QString& checkpoint,
                   const QString& data) {
    prepare(window, "mnist_cnn");
    auto settings = window.document()->graph().training().value_or(nc::graph::TrainingSettings{});
    settings.data = data.toStdString();
    window.document()->undoStack()->push(
        new SetTrainingSettingsCommand(window.document(), settings, "data"));
    ProbePanel* probe = window.probe();
    window.findChild<QDockWidget*>("probe")->raise();
    probe->useCheckpoint(checkpoint, "Standard CNN, epoch 6");
    settle(800);
    const auto* conv1 = window.document()->graph().findByName("conv1");
    const nc::graph::Edge wire = window.document()->graph().edgesOutOf(conv1->id).front();
    window.scene()->clearSelection();
    window.scene()->edgeItem(wire)->setSelected(true);
    probe->inputs()->setSource(ProbeInputPanel::Source::Drawing);
    drawStroke(probe->inputs()->canvas(), {{6, 6}, {12, 6}, {18, 6}, {22, 6}});
    drawStroke(probe->inputs()->canvas(), {{22, 6}, {19, 12}, {16, 17}, {14, 22}, {13, 25}});
    settle(1200);
    bool ok = saveScreen(out + "/probe-drawn-digit.png", window.frameGeometry());
    // The conv1 filters after training.
    window.filters()->selectLayer("conv1");
    ok = floatingShot(window, "filters", out + "/filters-conv1.png", QSize(760, 420)) && ok;
    // The validation confusion matrix with the misclassified gallery.
    ok = floatingShot(window, "classifier", out + "/classifier-confusion.png", QSize(1400, 620)) &&
         ok;
    // Dead ReLU units and gradient norms per layer.
    ok = floatingShot(window, "layerhealth", out + "/layer-health.png", QSize(640, 330)) && ok;
    // Grad-CAM on conv2 for a validation sample.
    window.saliency()->setMethod(SaliencyView::Method::GradCam);
    const auto* conv2 = window.document()->graph().findByName("conv2");
    window.scene()->clearSelection();
    window.scene()
        ->edgeItem(window.document()->graph().edgesOutOf(conv2->id).front())
        ->setSelected(true);
    probe->inputs()->setSampleIndex(9000);
    ok = floatingShot(window, "saliency", out + "/saliency-gradcam.png", QSize(620, 420)) && ok;
    window.scene()->clearSelection();
    return ok;
}

// The tied autoencoder, trained, with its reconstructions.
bool reconstructionPictures(MainWindow& window, const QString& out, const QString& data) {
    if (!trainExample(window, "conv_autoencoder", data, 4))
        return false;
    settle(2500); // the last epoch's evaluation
    return floatingShot(window, "reconstructions", out + "/reconstructions.png", QSize(900, 420));
}

// The Standard and the Modified CNN trained on the same MNIST data (the real 10k test set
// when ../shared/data/mnist has it, else the built-in digits), overlaid, with the comparison.
bool trainingPictures(MainWindow& window, const QString& out) {
    QTemporaryDir runs;
    window.runLibrary()->setRoot(runs.path());
    const QString mnist = QStringLiteral(NC_SOURCE_DIR) + "/../shared/data/mnist";
    const QString data = QFileInfo::exists(mnist + "/t10k-images-idx3-ubyte") ||
                                 QFileInfo::exists(mnist + "/t10k-images-idx3-ubyte.gz")
                             ? "mnist:" + mnist
                             : QString("synthetic:digits");
    if (!trainExample(window, "mnist_cnn", data, 6) ||
        !trainExample(window, "modified_cnn", data, 6))
        return false;
    settle(1200); // the finished runs are read back from their folders
    const char* names[] = {"Standard CNN", "Modified CNN"};
    for (std::size_t i = 0; i < window.runLibrary()->runs().size() && i < 2; ++i) {
        const QString folder = window.runLibrary()->runs()[i]->folder;
        window.runLibrary()->setOverlaid(folder, true);
        window.runLibrary()->rename(folder, names[i]);
    }
    if (auto* dock = window.findChild<QDockWidget*>("training")) {
        dock->show();
        dock->raise();
    }
    if (auto* dock = window.findChild<QDockWidget*>("charts")) {
        dock->show();
        dock->raise();
    }
    window.resizeDocks({window.findChild<QDockWidget*>("charts")}, {430}, Qt::Vertical);
    settle(600);
    bool ok = saveScreen(out + "/training-charts.png", window.frameGeometry());
    if (auto* dock = window.findChild<QDockWidget*>("comparison"))
        dock->raise();
    settle(400);
    ok = saveScreen(out + "/training-comparison.png", window.frameGeometry()) && ok;
    if (auto* dock = window.findChild<QDockWidget*>("runs"))
        dock->raise();
    settle(400);
    ok = saveScreen(out + "/training-runs.png", window.frameGeometry()) && ok;
    // The Standard CNN's first convolution, as percentile bands and as a ridge plot.
    if (auto* dock = window.findChild<QDockWidget*>("histograms")) {
        dock->raise();
        auto* view = qobject_cast<HistogramView*>(dock->widget());
        const QString folder = window.runLibrary()->runs().front()->folder;
        view->select(folder, "weights/conv1.weight", HistogramView::Style::Bands);
        settle(400);
        ok = saveScreen(out + "/histogram-bands.png", window.frameGeometry()) && ok;
        view->select(folder, "gradients/fc1.weight", HistogramView::Style::Ridges);
        settle(400);
        ok = saveScreen(out + "/histogram-ridges.png", window.frameGeometry()) && ok;
    }
    std::printf("%s", qPrintable(window.comparison()->toMarkdown()));
    const QString standard = window.runLibrary()->runs().front()->folder;
    ok = probePictures(window, out, standard + "/checkpoint.safetensors", data) && ok;
    ok = reconstructionPictures(window, out, data) && ok;
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // the default layout, not the user's
    QSettings().clear();
    if (argc < 2) {
        std::fprintf(stderr, "usage: docscreenshots OUT_DIR\n");
        return 2;
    }
    const QString out = QString::fromLocal8Bit(argv[1]);
    QTemporaryDir recovery;
    bool ok = true;
    MainWindow window(recovery.path());
    window.setGeometry(0, 0, 1600, 1000);
    window.show();
    settle(500);

    // The examples after auto-layout.
    for (const char* example : {"mlp", "mnist_cnn", "modified_cnn", "conv_autoencoder",
                                "catsdogs_cnn", "rnn_rows_mnist", "gru_adding", "char_lstm"}) {
        prepare(window, example);
        ok = saveScreen(out + "/layout-" + example + ".png", window.frameGeometry()) && ok;
    }

    // A two-layer bidirectional LSTM exported by PyTorch, imported (File > Import ONNX).
    {
        QSignalSpy imported(&window, &MainWindow::onnxImported);
        window.importOnnx(QStringLiteral(NC_SOURCE_DIR) +
                          "/tests/engine/fixtures/onnx/stacked_bilstm_17.onnx");
        ok = imported.wait(30000) && imported.back().at(1).toString().isEmpty() && ok;
        settle();
        ok = saveScreen(out + "/onnx-import-stacked-lstm.png", window.frameGeometry()) && ok;
    }

    // The Network summary dock, on the Modified CNN, with its layers timed.
    prepare(window, "modified_cnn");
    if (auto* dock = window.findChild<QDockWidget*>("summary")) {
        dock->show();
        dock->raise();
        window.resizeDocks({dock}, {520}, Qt::Vertical);
    }
    settle();
    if (auto* summary = window.findChild<SummaryWidget*>()) {
        summary->timeLayersButton()->click();
        for (int waited = 0; waited < 120 && !summary->timeLayersButton()->isEnabled(); ++waited)
            settle(500);
    }
    settle();
    ok = saveScreen(out + "/network-summary.png", window.frameGeometry()) && ok;
    if (auto* dock = window.findChild<QDockWidget*>("problems"))
        dock->raise();

    // A wire from pool2 let go on empty canvas: quick-add offers what fits.
    prepare(window, "mnist_cnn");
    const auto* pool2 = window.document()->graph().findByName("pool2");
    NodeItem* card = window.scene()->nodeItem(pool2->id);
    const QPointF drop = card->scenePos() + QPointF(60, 260);
    const QPoint screen = window.view()->viewport()->mapToGlobal(window.view()->mapFromScene(drop));
    emit window.scene()->wireDropped(pool2->id, true, 0, drop, screen);
    settle();
    ok = saveScreen(out + "/wire-drop.png", window.frameGeometry()) && ok;
    for (QWidget* popup : QApplication::topLevelWidgets())
        if (popup->windowType() == Qt::Popup && popup->isVisible())
            popup->hide();

    // The context menu of a card.
    const auto* conv2 = window.document()->graph().findByName("conv2");
    NodeItem* conv2Card = window.scene()->nodeItem(conv2->id);
    const QPoint menuAt = window.view()->viewport()->mapToGlobal(
        window.view()->mapFromScene(conv2Card->scenePos() + QPointF(100, 50)));
    emit window.view()->cardMenuRequested(conv2->id, menuAt);
    settle();
    ok = saveScreen(out + "/card-menu.png", window.frameGeometry()) && ok;
    for (QWidget* popup : QApplication::topLevelWidgets())
        if (popup->windowType() == Qt::Popup && popup->isVisible())
            popup->hide();

    ok = trainingPictures(window, out) && ok;
    ok = recurrentPictures(window, out) && ok;
    ok = stepGradientPicture(window, out) && ok;

    window.document()->undoStack()->setClean();
    window.close();
    return ok ? 0 : 1;
}
