#pragma once
// One training run into an opened run folder, as `netcanvas-cli train` and the app's training
// worker both drive it: parameters initialised from the seed (or a resumed checkpoint, or the
// initial weights of a fine-tuning run), the run
// recorded (run.json, metrics.csv, events, a checkpoint per epoch), and its end written down
// as completed, stopped (the control was cancelled) or failed.
//
//   RunRequest request{info};
//   RunOutcome outcome = trainIntoRun(model, backend, train, &validation, folder, request,
//                                     control, hooks);
//   if (outcome.status == RunStatus::Failed) report(outcome.error);

#include "histogram.h"
#include "resumepoint.h"
#include "runfolder.h"
#include "runinfo.h"

#include "engine/traincontrol.h"
#include "engine/trainer.h"

#include <functional>
#include <string>

namespace nc::engine {

// Called on the training thread.
struct RunHooks {
    std::function<void(const RunInfo&)> onStarted; // run.json and graph.json are written
    std::function<void(const StepReport&)> onStep;
    std::function<void(const EpochReport&)> onEpoch; // after the epoch's checkpoint is saved
    // The epoch's weight and gradient histograms, as written to the event file, after onEpoch.
    std::function<void(int, const std::vector<std::pair<std::string, Histogram>>&)> onHistograms;
    std::function<void(const SnapshotPtr&)> onSnapshot;
    // Training moved to the CPU after the device ran out of memory (Trainer::onFallback).
    std::function<void(const std::string&)> onFallback;
    TrainWatch watch;
    std::int64_t snapshotEvery = 0; // see TrainConfig::snapshotEvery
    Trainer** trainer = nullptr;    // set to the trainer while it runs (for snapshot requests)
};

struct RunRequest {
    RunInfo info; // graphSource, data, valSplit, config, device and threads
    const ResumePoint* resumed = nullptr;
    // Fine-tuning: start from these weights (checked with checkInitialWeights) with a fresh
    // optimizer, instead of the seed's. Never together with `resumed`.
    SnapshotPtr initialWeights;
    std::string initialWeightsSource; // the file or label, for messages
    // Whether a stopped run also saves the weights it stopped with, to the folder's
    // stoppedWeightsPath() (metadata "epoch" is the last completed epoch and "step" the
    // optimizer steps taken): loadable for probing, not for resuming.
    bool saveWeightsOnStop = false;
    std::string stopReason = "stopped by the user"; // run.json's error for a stopped run
};

struct RunOutcome {
    RunStatus status = RunStatus::Running;
    nc::core::Status error = nc::core::Status::ok(); // why it failed
    bool ioFailed = false;      // writing the run folder failed (disk full, permissions)
    int savedEpoch = 0;         // the last epoch this session checkpointed; 0 if none
    std::string stoppedWeights; // where a stop saved its weights; empty if it did not
    nc::core::Status finishError = nc::core::Status::ok(); // the final run.json not written
};

RunOutcome trainIntoRun(Model& model, Backend& backend, const Dataset& train,
                        const Dataset* validation, const RunFolder& folder,
                        const RunRequest& request, TrainControl& control, const RunHooks& hooks);

} // namespace nc::engine
