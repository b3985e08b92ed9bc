#include "traincommand.h"

#include "exitcodes.h"
#include "graphloading.h"
#include "modelsetup.h"
#include "options.h"
#include "trainreporter.h"

#include "engine/backendlist.h"
#include "engine/checkpoint.h"
#include "engine/data/dataspec.h"
#include "engine/run/initialweights.h"
#include "engine/run/resumetarget.h"
#include "engine/run/runsession.h"
#include "engine/schedule.h"
#include "engine/threading.h"

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace nc::cli {

namespace {

const char* const kHelp =
    "usage: netcanvas-cli train GRAPH [--data SPEC] [options]\n"
    "\n"
    "Trains the graph into a run folder: graph.json, run.json (settings, status),\n"
    "metrics.csv, checkpoint.safetensors (after every epoch) and a TensorBoard event file\n"
    "(events.out.tfevents.*: scalars per step and epoch, weight and gradient histograms).\n"
    "Defaults come from the graph's training settings; these options override them:\n"
    "\n"
    "  --data SPEC          synthetic:digits, synthetic:shapes, synthetic:sequences,\n"
    "                       synthetic:text, mnist:DIR[?rows], images:DIR, csv:FILE,\n"
    "                       text:FILE\n"
    "  --val-split F        hold out the last fraction F for validation (unshuffled)\n"
    "  --epochs N           --batch B           --seed S\n"
    "  --optimizer NAME     sgd, momentum, nesterov or adam\n"
    "  --lr X               --momentum M        --weight-decay W\n"
    "  --clip-grad-norm X   scale the gradients so their global L2 norm is at most X\n"
    "  --schedule NAME      constant, step or cosine\n"
    "  --device cpu|cuda[:N] --threads N (default: the graph's, else every core)\n"
    "  --out RUN_DIR        the run folder (default: a new runs/GRAPH-YYYYMMDD-HHMMSS);\n"
    "                       a folder that already holds files is refused unless resuming\n"
    "  --resume CKPT        continue from a checkpoint, exactly as an uninterrupted run, in\n"
    "                       --out or else the checkpoint's own folder; a folder that holds\n"
    "                       another run is refused\n"
    "  --force              with --resume: allow resuming an earlier checkpoint of a run\n"
    "                       (a backup) into its folder, dropping the later epochs\n"
    "  --init WEIGHTS       fine-tune: start from these weights (what `import` wrote, a\n"
    "                       checkpoint, stopped.safetensors) with a fresh optimizer and\n"
    "                       step count in a new run folder; every parameter must be in the\n"
    "                       file with its shape, and every tensor of the file must be a\n"
    "                       parameter (a checkpoint's optimizer state is ignored)\n"
    "  --json               one JSON object per epoch instead of text\n"
    "  --no-check           skip the NaN/Inf check of every output and gradient\n"
    "  --no-cpu-fallback    fail when the GPU runs out of memory, instead of going on\n"
    "                       on the CPU from the same weights and step (with a warning)\n"
    "\n"
    "One training at a time per folder. Ctrl-C stops after the current step; the last\n"
    "epoch's checkpoint stays, and metrics.csv always matches it.\n"
    "Exit status: 0 trained, 1 invalid graph, data, checkpoint or --init weights (or a NaN),\n"
    "2 usage or I/O error (or interrupted).\n";

namespace fs = std::filesystem;
using nc::engine::kMaxResumableEpochs;
using nc::engine::ResumePoint;
using nc::engine::RunStatus;

std::atomic<bool> g_interrupted{false};

void onInterrupt(int) {
    g_interrupted = true;
}

struct Settings {
    std::string data;
    double valSplit;
    nc::engine::TrainConfig config;
    int threads;
    std::string device;
    std::string out; // empty: a fresh folder under runs/
};

Result<Settings> readSettings(const Options& o, const nc::graph::TrainingSettings& defaults) {
    Settings s;
    std::string error;
    // Takes a parsed option into `field`, or keeps the first error.
    auto take = [&error](auto parsed, auto& field) {
        if (parsed)
            field = static_cast<std::remove_reference_t<decltype(field)>>(parsed.value());
        else if (error.empty())
            error = parsed.message();
    };
    s.data = o.text("data", defaults.data);
    take(o.number("val-split", defaults.valSplit, 0.0, 0.99), s.valSplit);
    take(o.integer("epochs", defaults.epochs, 1, kMaxResumableEpochs), s.config.epochs);
    take(o.integer("batch", defaults.batch, 1, 65536), s.config.batch);
    take(o.number("lr", defaults.lr, 0.0, 100.0), s.config.lr);
    take(o.number("momentum", defaults.momentum, 0.0, 1.0), s.config.optimizer.momentum);
    take(o.number("weight-decay", defaults.weightDecay, 0.0, 1.0), s.config.optimizer.weightDecay);
    take(o.number("clip-grad-norm", defaults.clipGradNorm, 0.0, 1e6),
         s.config.optimizer.clipGradNorm);
    take(o.integer("seed", defaults.seed, 0, (1LL << 62)), s.config.seed);
    take(o.integer("threads", defaults.threads, 0, 1024), s.threads);
    if (!error.empty())
        return Status::error(error);
    s.config.optimizer.kind = o.text("optimizer", defaults.optimizer);
    s.config.schedule = o.text("schedule", defaults.schedule);
    s.config.checkFinite = !o.has("no-check");
    s.config.fallBackToCpu = !o.has("no-cpu-fallback");
    s.out = o.text("out");
    if (s.out.empty() && o.has("resume")) // continue in the checkpoint's own folder
        s.out = fs::path(o.text("resume")).parent_path().string();
    if (s.out.empty() && o.has("resume"))
        s.out = ".";
    if (s.config.optimizer.kind != "sgd" && s.config.optimizer.kind != "momentum" &&
        s.config.optimizer.kind != "nesterov" && s.config.optimizer.kind != "adam")
        return Status::error("--optimizer must be sgd, momentum, nesterov or adam, got '" +
                             s.config.optimizer.kind + "'");
    if (!nc::engine::isKnownSchedule(s.config.schedule))
        return Status::error("--schedule must be constant, step or cosine, got '" +
                             s.config.schedule + "'");
    s.device = o.text("device", "cpu");
    s.config.threads = s.threads;
    return s;
}

// What Ctrl-C leaves behind, in words that name only files that exist.
std::string interruptedMessage(int savedEpoch, const std::string& checkpointPath,
                               const std::optional<ResumePoint>& resumed,
                               const std::string& resumedPath) {
    if (savedEpoch > 0)
        return "interrupted during epoch " + std::to_string(savedEpoch + 1) + "; " +
               checkpointPath + " holds epoch " + std::to_string(savedEpoch);
    if (resumed)
        return "interrupted before epoch " + std::to_string(resumed->epoch + 1) +
               " finished; nothing was saved, " + resumedPath + " still holds epoch " +
               std::to_string(resumed->epoch);
    return "interrupted before the first epoch finished; no epoch completed and nothing was "
           "saved";
}

// The --init weights, checked against the model before any run folder is made; null without
// --init. An unreadable file is an I/O error, weights that do not fit are not.
Result<nc::engine::SnapshotPtr> readInitWeights(const Options& o, const nc::engine::Model& model) {
    if (!o.has("init"))
        return nc::engine::SnapshotPtr();
    auto weights = nc::engine::readInitialWeights(o.text("init"));
    if (!weights)
        return weights.status();
    if (Status st = nc::engine::checkInitialWeights(*weights.value(), model, o.text("init")); !st)
        return st;
    return weights;
}

// Trains `model` into the opened run folder and records how the run ended.
int trainIntoFolder(const Options& o, const Settings& s, nc::engine::Model& model,
                    const nc::engine::Dataset& train, const nc::engine::Dataset& validation,
                    const std::optional<ResumePoint>& resumed,
                    const nc::engine::SnapshotPtr& initialWeights, const nc::engine::RunFolder& run,
                    nc::engine::Backend& backend) {
    nc::engine::RunRequest request;
    std::error_code ec;
    request.info.graphSource = fs::absolute(o.positionals()[0], ec).string();
    request.info.data = s.data;
    request.info.valSplit = s.valSplit;
    request.info.config = s.config;
    request.info.threads = s.threads;
    request.resumed = resumed ? &*resumed : nullptr;
    request.initialWeights = initialWeights;
    if (initialWeights)
        request.info.initialWeights = fs::absolute(o.text("init"), ec).string();
    request.initialWeightsSource = o.text("init");
    request.stopReason = "interrupted";

    TrainReporter reporter(o.has("json"), isatty(STDERR_FILENO) && !o.has("json"));
    nc::engine::TrainControl control;
    nc::engine::RunHooks hooks;
    hooks.onStep = [&](const nc::engine::StepReport& r) {
        if (g_interrupted)
            control.cancel();
        reporter.step(r);
    };
    hooks.onEpoch = [&](const nc::engine::EpochReport& r) { reporter.epoch(r); };
    hooks.onFallback = [&](const std::string& message) {
        reporter.clearProgress();
        printError("train", "warning: " + message);
    };
    // Installed before run.json exists, so whoever sees a started run can interrupt it.
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    nc::engine::RunOutcome outcome = nc::engine::trainIntoRun(
        model, backend, train, validation.size() > 0 ? &validation : nullptr, run, request, control,
        hooks);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    reporter.clearProgress();

    int exitCode = kExitOk;
    switch (outcome.status) {
    case RunStatus::Completed:
        break;
    case RunStatus::Stopped:
        printError("train", interruptedMessage(outcome.savedEpoch, run.checkpointPath(), resumed,
                                               o.text("resume")));
        exitCode = kExitUsage;
        break;
    default:
        printError("train", outcome.error.message());
        exitCode = outcome.ioFailed ? kExitUsage : kExitInvalid;
        break;
    }
    if (!outcome.finishError) {
        printError("train", outcome.finishError.message());
        return exitCode == kExitOk ? kExitUsage : exitCode;
    }
    return exitCode;
}

} // namespace

int runTrain(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done = parseCommandLine(
            "train", args,
            {"data", "val-split", "epochs", "batch", "optimizer", "lr", "momentum", "weight-decay",
             "clip-grad-norm", "schedule", "seed", "device", "threads", "out", "resume", "init"},
            {"json", "no-check", "no-cpu-fallback", "force"}, kHelp, parsed))
        return *done;
    const Options& o = *parsed;
    if (o.positionals().size() != 1) {
        printError("train", "expected one GRAPH file (see --help)");
        return kExitUsage;
    }
    if (o.has("init") && o.has("resume")) {
        printError("train", "--init starts a new run from weights and --resume continues one; "
                            "give one of them");
        return kExitUsage;
    }
    ModelSetup setup = compileGraphFile("train", o.positionals()[0]);
    if (!setup.model)
        return setup.exitCode;
    nc::engine::Model& model = *setup.model;
    auto settings =
        readSettings(o, model.graph().training().value_or(nc::graph::TrainingSettings{}));
    if (!settings) {
        printError("train", settings.message());
        return kExitUsage;
    }
    Settings& s = settings.value();
    auto backend = nc::engine::createBackend(s.device);
    if (!backend) {
        printError("train", backend.message());
        return kExitUsage;
    }

    std::optional<ResumePoint> resumed;
    if (o.has("resume")) {
        auto point = nc::engine::readResumePoint(o.text("resume"));
        if (!point)
            return reportFailure("train", point.status());
        resumed = std::move(point).value();
    }
    auto initialWeights = readInitWeights(o, model);
    if (!initialWeights)
        return reportFailure("train", initialWeights.status());
    if (!s.out.empty())
        if (Status st = nc::engine::RunFolder::checkUsable(s.out, resumed.has_value()); !st) {
            printError("train", st.message());
            return kExitUsage;
        }
    if (resumed) {
        auto effect = nc::engine::checkResumeTarget(s.out, o.text("resume"),
                                                    resumed->checkpoint.metadata, resumed->epoch);
        if (!effect) {
            printError("train", effect.message());
            return kExitUsage;
        }
        if (effect.value().cutsBack() && !o.has("force")) {
            printError("train", effect.value().cutBackMessage() + "; pass --force to cut it back");
            return kExitUsage;
        }
    }

    auto data = nc::engine::loadDataset(s.data, inputSampleDims(model));
    if (!data)
        return reportFailure("train", data.status());
    if (Status st = nc::engine::checkDataFits(model, data.value()); !st) {
        printError("train", st.message()); // before any run folder is made
        return kExitInvalid;
    }
    auto [train, validation] = nc::engine::splitTail(data.value(), s.valSplit);

    if (s.out.empty()) {
        auto fresh = nc::engine::RunFolder::claimFreshPath(
            "runs", fs::path(o.positionals()[0]).stem().string(), std::time(nullptr));
        if (!fresh) {
            printError("train", fresh.message());
            return kExitUsage;
        }
        s.out = fresh.value();
        std::cerr << "run folder: " << s.out << '\n';
    }
    auto folder = nc::engine::RunFolder::open(s.out, resumed.has_value());
    if (!folder) {
        printError("train", folder.message());
        return kExitUsage;
    }
    return trainIntoFolder(o, s, model, train, validation, resumed, initialWeights.value(),
                           folder.value(), *backend.value());
}

} // namespace nc::cli
