#include "runsession.h"

#include "runrecorder.h"

#include "core/atomicwrite.h"
#include "engine/checkpoint.h"
#include "engine/probe/probeweights.h"

#include <cassert>

namespace nc::engine {

using nc::core::Status;

namespace {

CheckpointMetadata withRunKeys(CheckpointMetadata meta, const RunInfo& info, int epoch) {
    meta["epoch"] = std::to_string(epoch);
    meta["data"] = info.data;
    meta["seed"] = std::to_string(info.config.seed);
    if (!info.initialWeights.empty()) // so that a resumed fine-tune still says where it began
        meta["initial_weights"] = info.initialWeights;
    return meta;
}

} // namespace

RunOutcome trainIntoRun(Model& model, Backend& backend, const Dataset& train,
                        const Dataset* validation, const RunFolder& folder,
                        const RunRequest& request, TrainControl& control, const RunHooks& hooks) {
    RunOutcome outcome;
    TrainConfig config = request.info.config;
    config.snapshotEvery = hooks.snapshotEvery;
    assert(!(request.resumed && request.initialWeights) && "a run resumes or fine-tunes");
    initializeParameters(model.params(), config.seed);
    if (request.initialWeights)
        if (Status s = applySnapshot(*request.initialWeights, model, request.initialWeightsSource);
            !s) {
            outcome.status = RunStatus::Failed;
            outcome.error = s;
            return outcome;
        }
    Trainer trainer(model, backend, config);
    trainer.setWatch(hooks.watch);
    trainer.onSnapshot = hooks.onSnapshot;
    if (request.resumed)
        if (Status s = applyResumePoint(*request.resumed, model, trainer); !s) {
            outcome.status = RunStatus::Failed;
            outcome.error = s;
            return outcome;
        }

    RunInfo info = request.info;
    if (request.resumed) {
        const auto& metadata = request.resumed->checkpoint.metadata;
        if (auto it = metadata.find("initial_weights"); it != metadata.end())
            info.initialWeights = it->second;
    }
    RunRecorder recorder(folder, info);
    if (Status s = request.resumed ? recorder.start(model.graph(), request.resumed->epoch,
                                                    request.resumed->checkpoint.metadata)
                                   : recorder.start(model.graph());
        !s) {
        outcome.status = RunStatus::Failed;
        outcome.error = s;
        outcome.ioFailed = true;
        return outcome;
    }
    if (!train.vocabulary.empty()) // for sampling text from the trained model
        if (Status s =
                nc::core::writeFileAtomically(folder.vocabularyPath(), train.vocabulary.toJson());
            !s) {
            outcome.status = RunStatus::Failed;
            outcome.error = s;
            outcome.ioFailed = true;
            return outcome;
        }
    if (hooks.onStarted)
        hooks.onStarted(recorder.info());

    trainer.onStep = [&](const StepReport& r) {
        recorder.recordStep(r);
        if (hooks.onStep)
            hooks.onStep(r);
    };
    trainer.onFallback = [&](const std::string& message) {
        recorder.setDevice(trainer.backend().device().text());
        if (hooks.onFallback)
            hooks.onFallback(message);
    };
    trainer.onEpoch = [&](const EpochReport& r) -> Status {
        auto save = [&](const CheckpointMetadata& runMetadata) {
            return saveCheckpoint(folder.checkpointPath(), model, &trainer.optimizer(),
                                  withRunKeys(runMetadata, info, r.epoch),
                                  &trainer.backend());
        };
        if (Status s = recorder.recordEpoch(r, model.params(), save); !s) {
            outcome.ioFailed = true;
            return s;
        }
        outcome.savedEpoch = r.epoch;
        if (hooks.onEpoch)
            hooks.onEpoch(r);
        if (hooks.onHistograms)
            hooks.onHistograms(r.epoch, recorder.lastHistograms());
        return Status::ok();
    };
    if (hooks.trainer)
        *hooks.trainer = &trainer;
    Status result = trainer.fit(train, validation, &control);
    if (hooks.trainer)
        *hooks.trainer = nullptr;

    if (result) {
        outcome.status = RunStatus::Completed;
        outcome.finishError = recorder.finish(RunStatus::Completed);
    } else if (control.isCancelled()) {
        outcome.status = RunStatus::Stopped;
        if (request.saveWeightsOnStop) {
            CheckpointMetadata meta = withRunKeys({}, info, trainer.completedEpochs());
            meta["step"] = std::to_string(trainer.optimizer().steps());
            meta["stopped"] = "true";
            if (Status s = saveCheckpoint(folder.stoppedWeightsPath(), model, nullptr, meta,
                                          &trainer.backend()))
                outcome.stoppedWeights = folder.stoppedWeightsPath();
            else
                outcome.error = s;
        }
        outcome.finishError = recorder.finish(RunStatus::Stopped, request.stopReason);
    } else {
        outcome.status = RunStatus::Failed;
        outcome.error = result;
        outcome.finishError = recorder.finish(RunStatus::Failed, result.message());
    }
    return outcome;
}

} // namespace nc::engine
