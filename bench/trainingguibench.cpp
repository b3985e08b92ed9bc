// Training in the window, measured: the longest stall of the GUI event loop while the Standard
// CNN trains on 2 threads (goal: under 30 ms), and how fast the charts redraw 10 runs of
// 100,000 points each (goal: 30 Hz or more), both fully zoomed out and while panning.
// It also measures a live probe during training: refreshes per second and the training
// speed it costs. Run under Xvfb (make bench; --plots, --stall or --probe for one figure);
// prints one line per figure.

#include "ui/commands/trainingsettingscommand.h"
#include "ui/graphdocument.h"
#include "ui/graphscene.h"
#include "ui/mainwindow.h"
#include "ui/probe/probeinput.h"
#include "ui/probe/probepanel.h"
#include "ui/training/chartspanel.h"
#include "ui/training/chartwidget.h"
#include "ui/training/runlibrary.h"
#include "ui/training/trainingcontroller.h"
#include "ui/training/trainingdock.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace nc::ui;

namespace {

// Opens mnist_cnn set to train `epochs` on synthetic digits with 2 threads, and lets the
// window settle (first layout and paint, the data preview) before any clock starts.
void prepareTraining(MainWindow& window, const QString& runs, int epochs) {
    window.runLibrary()->setRoot(runs);
    window.resize(1600, 1000);
    window.show();
    window.openExample("mnist_cnn");
    auto settings = window.document()->graph().training().value_or(nc::graph::TrainingSettings{});
    settings.data = "synthetic:digits";
    settings.epochs = epochs;
    settings.threads = 2;
    window.document()->undoStack()->push(
        new SetTrainingSettingsCommand(window.document(), settings, "data"));
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 1000)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
}

// Trains mnist_cnn for `epochs` on synthetic digits while a 1 ms timer records the gaps
// between its ticks: the longest is the longest the GUI thread was kept from its events.
void measureStall(int epochs) {
    QTemporaryDir runs, recovery;
    MainWindow window(recovery.path());
    prepareTraining(window, runs.path(), epochs);
    bool done = false;
    QObject::connect(window.training(), &TrainingController::runFinished,
                     [&](const TrainingResult&) { done = true; });
    std::vector<double> gaps;
    QElapsedTimer clock;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    tick.setInterval(1);
    qint64 last = 0;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last > 0) {
            gaps.push_back(double(now - last) / 1e6);
            if (gaps.back() > 30 && qEnvironmentVariableIsSet("NC_BENCH_VERBOSE"))
                std::printf("  stall of %.1f ms at %.2f s\n", gaps.back(), double(last) / 1e9);
        }
        last = now;
    });
    if (!window.trainingDock()->startTraining()) {
        std::printf("training did not start\n");
        return;
    }
    clock.start();
    tick.start();
    QElapsedTimer wall;
    wall.start();
    while (!done)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    tick.stop();
    std::sort(gaps.begin(), gaps.end());
    const double longest = gaps.empty() ? 0 : gaps.back();
    const double p99 = gaps.empty() ? 0 : gaps[std::size_t(double(gaps.size() - 1) * 0.99)];
    std::printf("gui stall while training mnist_cnn (2 threads, %d epoch(s), %.1f s): longest "
                "%.1f ms, p99 %.2f ms, %zu ticks\n",
                epochs, double(wall.elapsed()) / 1000.0, longest, p99, gaps.size());
    window.document()->undoStack()->setClean();
}

// Training speed (images/s over the whole run) with and without a live probe of conv2 and
// three pinned wires (conv1, pool2, fc1) shown in the Probe dock, and how often the probe
// refreshed (goal: 10 Hz at under 5 % cost).
struct ProbeRun {
    double imagesPerSecond = 0, probesPerSecond = 0;
};

ProbeRun trainWithProbe(bool probe, int epochs) {
    QTemporaryDir runs, recovery;
    MainWindow window(recovery.path());
    prepareTraining(window, runs.path(), epochs);
    ProbePanel* panel = window.probe();
    if (probe) {
        window.findChild<QDockWidget*>("probe")->show();
        window.findChild<QDockWidget*>("probe")->raise();
        const auto* conv2 = window.document()->graph().findByName("conv2");
        const nc::graph::Edge wire = window.document()->graph().edgesOutOf(conv2->id).front();
        window.scene()->edgeItem(wire)->setSelected(true);
        for (const char* pinned : {"conv1", "pool2", "fc1"})
            panel->pinEdge({window.document()->graph().findByName(pinned)->id, 0});
        QElapsedTimer wait;
        wait.start();
        while (!panel->lastResult() && wait.elapsed() < 20000)
            QApplication::processEvents(QEventLoop::AllEvents, 50);
    }
    bool done = false;
    double images = 0, trainingSeconds = 0;
    QObject::connect(window.training(), &TrainingController::runFinished,
                     [&](const TrainingResult&) { done = true; });
    QObject::connect(window.training(), &TrainingController::metricsArrived,
                     [&](const QString&, MetricBatchPtr batch) {
                         for (const auto& e : batch->epochs) {
                             images += e.report.imagesPerSecond * e.report.seconds;
                             trainingSeconds += e.report.seconds;
                         }
                     });
    if (!window.trainingDock()->startTraining())
        return {};
    const int before = panel->probesDone();
    QElapsedTimer wall;
    wall.start();
    while (!done)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    const double seconds = double(wall.elapsed()) / 1000.0;
    window.document()->undoStack()->setClean();
    return {images / std::max(trainingSeconds, 1e-9),
            double(panel->probesDone() - before) / seconds};
}

// Alternates runs without and with the probe (the first of each pair warms up caches) and
// keeps each one's best, so that machine noise does not pass for the probe's cost.
void measureProbeCost(int epochs) {
    ProbeRun plain, probed;
    for (int round = 0; round < 2; ++round) {
        const ProbeRun a = trainWithProbe(false, epochs), b = trainWithProbe(true, epochs);
        plain.imagesPerSecond = std::max(plain.imagesPerSecond, a.imagesPerSecond);
        if (b.imagesPerSecond > probed.imagesPerSecond)
            probed = b;
    }
    std::printf("live probe of conv2 and 3 pinned wires while training mnist_cnn (2 threads, %d "
                "epoch(s)): %.1f "
                "probes/s; training %.0f img/s with it, %.0f without (%.1f %% slower)\n",
                epochs, probed.probesPerSecond, probed.imagesPerSecond, plain.imagesPerSecond,
                100.0 * (1.0 - probed.imagesPerSecond / std::max(plain.imagesPerSecond, 1.0)));
}

std::shared_ptr<RunData> syntheticRun(int index, std::size_t points) {
    auto run = std::make_shared<RunData>();
    run->folder = QString("/bench/run-%1").arg(index);
    run->stepsPerEpoch = 1000;
    std::mt19937 random{unsigned(index)};
    std::normal_distribution<double> noise(0, 0.08);
    RunSeries& loss = run->scalars["step/batch_loss"];
    for (std::size_t i = 0; i < points; ++i) {
        const double step = double(i + 1);
        loss.append({step, step / 1000.0, 1.7e9 + step * 0.01,
                     2.3 * std::exp(-step / (20000.0 + 3000.0 * index)) + 0.1 + noise(random)});
    }
    RunSeries& val = run->scalars["epoch/val_loss"];
    for (std::size_t e = 1; e <= points / 1000; ++e)
        val.append({double(e * 1000), double(e), 1.7e9 + double(e) * 10,
                    2.3 * std::exp(-double(e) * 1000 / 25000.0) + 0.12});
    return run;
}

// Redraws the default charts `frames` times; `pan` moves the x range every frame.
double framesPerSecond(ChartsPanel& panel, int frames, bool pan) {
    QElapsedTimer timer;
    timer.start();
    for (int f = 0; f < frames; ++f) {
        for (ChartWidget* c : panel.charts()) {
            if (pan) {
                const double start = 1000.0 * f;
                c->setXRange(start, start + 50000);
            } else {
                c->markDirty();
            }
        }
        panel.redrawNow();
        QApplication::processEvents();
    }
    return frames * 1000.0 / double(std::max<qint64>(1, timer.elapsed()));
}

void measurePlots(int runs, std::size_t points) {
    RunLibrary library;
    for (int i = 0; i < runs; ++i) {
        auto run = syntheticRun(i, points);
        library.add(run);
        library.setOverlaid(run->folder, true);
    }
    ChartsPanel panel(&library);
    panel.resize(1600, 800);
    panel.show();
    QApplication::processEvents();
    panel.redrawNow(); // smoothing computed once here, on every point
    for (auto [mode, name] :
         {std::pair{SmoothingMode::Ema, "EMA"}, std::pair{SmoothingMode::Envelope, "envelope"}}) {
        ChartOptions o = panel.options();
        o.smoothing = mode;
        panel.setOptions(o);
        for (ChartWidget* c : panel.charts())
            c->follow();
        const double still = framesPerSecond(panel, 30, false);
        const double panning = framesPerSecond(panel, 30, true);
        std::printf("charts, %d runs x %zu points, %s smoothing: %.0f redraws/s zoomed out, "
                    "%.0f redraws/s panning (%d points drawn)\n",
                    runs, points, name, still, panning, panel.charts().front()->visiblePoints());
    }
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    const std::string only = argc > 1 ? argv[1] : "";
    if (only.empty() || only == "--plots")
        measurePlots(10, 100000);
    if (only.empty() || only == "--stall")
        measureStall(1);
    if (only.empty() || only == "--probe")
        measureProbeCost(2);
    return 0;
}
