#include "traincommand.h"

#include "exitcodes.h"
#include "graphloading.h"
#include "modelsetup.h"
#include "options.h"
#include "trainreporter.h"

#include "engine/checkpoint.h"
#include "engine/backendlist.h"
#include "engine/data/dataspec.h"
#include "engine/schedule.h"
#include "engine/threading.h"

#include "core/atomicwrite.h"
#include "graph_model/graphjson.h"

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
    "Trains the graph and writes the run to --out: graph.json, metrics.csv and\n"
    "checkpoint.safetensors (after every epoch). Defaults come from the graph's\n"
    "training settings; these options override them:\n"
    "\n"
    "  --data SPEC          synthetic:digits, synthetic:shapes, mnist:DIR, images:DIR, csv:FILE\n"
    "  --val-split F        hold out the last fraction F for validation (unshuffled)\n"
    "  --epochs N           --batch B           --seed S\n"
    "  --optimizer NAME     sgd, momentum, nesterov or adam\n"
    "  --lr X               --momentum M        --weight-decay W\n"
    "  --schedule NAME      constant, step or cosine\n"
    "  --device cpu|cuda[:N] --threads N (default: every core)\n"
    "  --out RUN_DIR        where the run goes (default: run)\n"
    "  --resume CKPT        continue from a checkpoint, exactly as an uninterrupted run\n"
    "  --json               one JSON object per epoch instead of text\n"
    "  --no-check           skip the NaN/Inf check of every output and gradient\n"
    "\n"
    "Ctrl-C stops after the current step; the last epoch's checkpoint stays.\n"
    "Exit status: 0 trained, 1 invalid graph or data (or a NaN), 2 usage or I/O error.\n";

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
    std::string out;
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
    take(o.integer("epochs", defaults.epochs, 1, 100000), s.config.epochs);
    take(o.integer("batch", defaults.batch, 1, 65536), s.config.batch);
    take(o.number("lr", defaults.lr, 0.0, 100.0), s.config.lr);
    take(o.number("momentum", defaults.momentum, 0.0, 1.0), s.config.optimizer.momentum);
    take(o.number("weight-decay", defaults.weightDecay, 0.0, 1.0), s.config.optimizer.weightDecay);
    take(o.integer("seed", defaults.seed, 0, (1LL << 62)), s.config.seed);
    take(o.integer("threads", 0, 0, 1024), s.threads);
    if (!error.empty())
        return Status::error(error);
    s.config.optimizer.kind = o.text("optimizer", defaults.optimizer);
    s.config.schedule = o.text("schedule", defaults.schedule);
    s.config.checkFinite = !o.has("no-check");
    s.out = o.text("out", "run");
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

// Loads weights, optimizer state and the epoch count from a checkpoint.
Status resume(const std::string& path, nc::engine::Model& model, nc::engine::Trainer& trainer) {
    auto checkpoint = nc::engine::readCheckpoint(path);
    if (!checkpoint)
        return Status::error(checkpoint.message());
    if (Status s = nc::engine::applyWeights(checkpoint.value(), model); !s)
        return s;
    if (Status s = nc::engine::applyOptimizerState(checkpoint.value(), trainer.optimizer()); !s)
        return s;
    auto epoch = checkpoint.value().metadata.find("epoch");
    if (epoch == checkpoint.value().metadata.end())
        return Status::error(path + ": no epoch in the checkpoint's metadata");
    trainer.setCompletedEpochs(std::stoi(epoch->second));
    return Status::ok();
}

} // namespace

int runTrain(const std::vector<std::string>& args) {
    std::optional<Options> parsed;
    if (std::optional<int> done = parseCommandLine(
            "train", args,
            {"data", "val-split", "epochs", "batch", "optimizer", "lr", "momentum", "weight-decay",
             "schedule", "seed", "device", "threads", "out", "resume"},
            {"json", "no-check"}, kHelp, parsed))
        return *done;
    const Options& o = *parsed;
    if (o.positionals().size() != 1) {
        printError("train", "expected one GRAPH file (see --help)");
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

    auto data = nc::engine::loadDataset(s.data, inputSampleDims(model));
    if (!data) {
        printError("train", data.message());
        return kExitInvalid;
    }
    auto [train, validation] = nc::engine::splitTail(data.value(), s.valSplit);

    std::error_code ec;
    std::filesystem::create_directories(s.out, ec);
    if (ec) {
        printError("train", "cannot create " + s.out + ": " + ec.message());
        return kExitUsage;
    }
    const std::string checkpointPath = s.out + "/checkpoint.safetensors";
    if (Status st = nc::graph::saveGraphFile(model.graph(), s.out + "/graph.json"); !st) {
        printError("train", st.message());
        return kExitUsage;
    }

    nc::engine::initializeParameters(model.params(), s.config.seed);
    nc::engine::Trainer trainer(model, *backend.value(), s.config);
    TrainReporter reporter(o.has("json"), isatty(STDERR_FILENO) && !o.has("json"),
                           s.out + "/metrics.csv");
    if (o.has("resume")) {
        if (Status st = resume(o.text("resume"), model, trainer); !st) {
            printError("train", st.message());
            return kExitInvalid;
        }
        if (auto old = nc::core::readWholeFile(s.out + "/metrics.csv", 64 << 20))
            reporter.continueFrom(old.value(), trainer.completedEpochs());
    }

    nc::engine::TrainControl control;
    std::signal(SIGINT, onInterrupt);
    trainer.onStep = [&](const nc::engine::StepReport& r) {
        if (g_interrupted)
            control.cancel();
        reporter.step(r);
    };
    trainer.onEpoch = [&](const nc::engine::EpochReport& r) -> Status {
        std::map<std::string, std::string> meta{{"epoch", std::to_string(r.epoch)},
                                                {"data", s.data},
                                                {"seed", std::to_string(s.config.seed)}};
        if (Status st =
                nc::engine::saveCheckpoint(checkpointPath, model, &trainer.optimizer(), meta,
                                         backend.value().get());
            !st)
            return st;
        return reporter.epoch(r);
    };
    Status result = trainer.fit(train, validation.size() > 0 ? &validation : nullptr, &control);
    std::signal(SIGINT, SIG_DFL);
    if (!result) {
        if (control.isCancelled()) {
            std::cerr << "\ninterrupted after " << trainer.completedEpochs() << " epoch(s); "
                      << checkpointPath << " holds the last complete one\n";
            return kExitUsage;
        }
        printError("train", result.message());
        return kExitInvalid;
    }
    return kExitOk;
}

} // namespace nc::cli
