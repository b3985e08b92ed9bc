// Training in the window, measured: the longest stall of the GUI event loop while the Standard
// CNN trains on 2 threads (goal: under 30 ms), and how fast the charts redraw 10 runs of
// 100,000 points each (goal: 30 Hz or more), both fully zoomed out and while panning.
// It also measures a live probe during training: refreshes per second and the training
// speed it costs. Run under Xvfb (make bench; --plots, --stall or --probe for one figure);
// prints one line per figure.

#include "ui/backgroundpool.h"
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
#include <QEventLoop>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <unistd.h>

using namespace nc::ui;

namespace {

// Runs the event loop the way the app does, blocking while idle (a loop of processEvents()
// would spin a core and steal it from training), until `done` holds or `timeoutMs` passes.
template <typename Done> void runEventsUntil(Done done, int timeoutMs = 24 * 3600 * 1000) {
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    QTimer check;
    check.setInterval(20);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() >= timeoutMs)
            loop.quit();
    });
    check.start();
    if (!done())
        loop.exec();
}

// CPU seconds used so far by each of this process's threads, summed by thread name (Linux).
std::map<std::string, double> cpuSecondsByThread() {
    std::map<std::string, double> seconds;
    const double tick = double(sysconf(_SC_CLK_TCK));
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream stat(task.path() / "stat");
        std::string line;
        std::getline(stat, line);
        const auto open = line.find('('), close = line.rfind(')');
        if (open == std::string::npos || close == std::string::npos)
            continue;
        std::istringstream rest(line.substr(close + 2));
        std::string field;
        double utime = 0, stime = 0;
        for (int i = 3; i <= 15 && rest >> field; ++i) {
            if (i == 14)
                utime = std::stod(field);
            if (i == 15)
                stime = std::stod(field);
        }
        seconds[line.substr(open + 1, close - open - 1)] += (utime + stime) / tick;
    }
    return seconds;
}

// Opens mnist_cnn set to train `epochs` on synthetic digits with 2 threads, and lets the
// window settle (first layout and paint, the data preview) before any clock starts.
void prepareTraining(MainWindow& window, const QString& runs, int epochs,
                     const std::string& data = "synthetic:digits") {
    window.runLibrary()->setRoot(runs);
    window.resize(1600, 1000);
    window.show();
    window.openExample("mnist_cnn");
    auto settings = window.document()->graph().training().value_or(nc::graph::TrainingSettings{});
    settings.data = data;
    settings.epochs = epochs;
    settings.threads = 2;
    window.document()->undoStack()->push(
        new SetTrainingSettingsCommand(window.document(), settings, "data"));
    runEventsUntil([] { return false; }, 1000);
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
    runEventsUntil([&] { return done; });
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
    double windowCores = 0; // CPU of every thread but training's, while steps ran
};

ProbeRun trainWithProbe(bool probe, int epochs) {
    QTemporaryDir runs, recovery;
    MainWindow window(recovery.path());
    prepareTraining(window, runs.path(), epochs, "synthetic:digits?count=25000");
    ProbePanel* panel = window.probe();
    // The same docks on screen in both runs: the Probe dock covers the Training dock's tab.
    window.findChild<QDockWidget*>("probe")->show();
    window.findChild<QDockWidget*>("probe")->raise();
    if (probe) {
        const auto* conv2 = window.document()->graph().findByName("conv2");
        const nc::graph::Edge wire = window.document()->graph().edgesOutOf(conv2->id).front();
        window.scene()->edgeItem(wire)->setSelected(true);
        for (const char* pinned : {"conv1", "pool2", "fc1"})
            panel->pinEdge({window.document()->graph().findByName(pinned)->id, 0});
        runEventsUntil([panel] { return panel->lastResult() != nullptr; }, 20000);
    }
    // Data previews and the probe's sample set load in the background: let them finish first.
    runEventsUntil([] { return backgroundPool().activeThreadCount() == 0; }, 60000);
    bool done = false;
    double images = 0, trainingSeconds = 0;
    // Refreshes are counted while steps arrive (not while data loads or validation runs).
    QElapsedTimer wall;
    qint64 firstStepMs = -1, lastStepMs = 0;
    int probesAtFirstStep = 0, probesAtLastStep = 0;
    std::map<std::string, double> cpuAtFirstStep, cpuAtLastStep;
    QObject::connect(window.training(), &TrainingController::runFinished,
                     [&](const TrainingResult&) { done = true; });
    QObject::connect(window.training(), &TrainingController::metricsArrived,
                     [&](const QString&, MetricBatchPtr batch) {
                         if (!batch->steps.empty()) {
                             if (firstStepMs < 0) {
                                 firstStepMs = wall.elapsed();
                                 cpuAtFirstStep = cpuSecondsByThread();
                                 probesAtFirstStep = panel->probesDone();
                             }
                             lastStepMs = wall.elapsed();
                             cpuAtLastStep = cpuSecondsByThread();
                             probesAtLastStep = panel->probesDone();
                         }
                         for (const auto& e : batch->epochs) {
                             images += e.report.imagesPerSecond * e.report.seconds;
                             trainingSeconds += e.report.seconds;
                         }
                     });
    if (!window.trainingDock()->startTraining())
        return {};
    wall.start();
    runEventsUntil([&] { return done; });
    window.document()->undoStack()->setClean();
    const double stepSeconds = double(lastStepMs - std::max<qint64>(firstStepMs, 0)) / 1000.0;
    double windowCpu = 0;
    for (const auto& [thread, cpu] : cpuAtLastStep)
        if (thread != "training")
            windowCpu += cpu - cpuAtFirstStep[thread];
    const ProbeRun run{images / std::max(trainingSeconds, 1e-9),
                       double(probesAtLastStep - probesAtFirstStep) / std::max(stepSeconds, 1e-9),
                       windowCpu / std::max(stepSeconds, 1e-9)};
    if (qEnvironmentVariableIsSet("NC_BENCH_VERBOSE"))
        std::printf("  %s: %.0f img/s, %.1f probes/s, window threads %.3f cores\n",
                    probe ? "probe" : "plain", run.imagesPerSecond, run.probesPerSecond,
                    run.windowCores);
    return run;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty()      ? 0
           : v.size() % 2 ? v[v.size() / 2]
                          : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Runs without and with the probe in turns, ABBA, so that neither always goes first. On 2
// cores the speed drifts by several percent from run to run, so the cost is the median of
// each round's ratio (runs side by side in time), and the probe's own CPU use is shown too.
void measureProbeCost(int epochs) {
    const int rounds = qEnvironmentVariableIntValue("NC_BENCH_ROUNDS") > 0
                           ? qEnvironmentVariableIntValue("NC_BENCH_ROUNDS")
                           : 5;
    std::vector<double> plain, probed, ratios, rate, guiPlain, guiProbed;
    for (int round = 0; round < rounds; ++round) {
        ProbeRun pair[2];
        for (bool probe : round % 2 ? std::array{true, false} : std::array{false, true})
            pair[probe] = trainWithProbe(probe, epochs);
        plain.push_back(pair[0].imagesPerSecond);
        probed.push_back(pair[1].imagesPerSecond);
        ratios.push_back(pair[1].imagesPerSecond / std::max(pair[0].imagesPerSecond, 1.0));
        rate.push_back(pair[1].probesPerSecond);
        guiPlain.push_back(pair[0].windowCores);
        guiProbed.push_back(pair[1].windowCores);
    }
    std::printf("live probe of conv2 and 3 pinned wires while training mnist_cnn (2 threads, %d "
                "epoch(s) of 20,000 images, %d rounds, medians): %.1f probes/s; training %.0f "
                "img/s with it, %.0f without (%.1f %% slower); window threads %.3f cores with "
                "it, %.3f without\n",
                epochs, rounds, median(rate), median(probed), median(plain),
                100.0 * (1.0 - median(ratios)), median(guiProbed), median(guiPlain));
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
        measureProbeCost(1);
    return 0;
}
