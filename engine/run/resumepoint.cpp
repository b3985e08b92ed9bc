#include "resumepoint.h"

#include "core/numberparse.h"

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

Result<int> checkpointEpoch(const std::map<std::string, std::string>& metadata,
                            const std::string& path) {
    auto epoch = metadata.find("epoch");
    if (epoch == metadata.end())
        return Status::error(path + ": no epoch in the checkpoint's metadata (a weights file, "
                                    "not a run's checkpoint: start from it with --init)");
    auto parsed = nc::core::parseInt64(epoch->second, path + ": the checkpoint's epoch", 0,
                                       kMaxResumableEpochs);
    if (!parsed)
        return parsed.status();
    return int(parsed.value());
}

Result<ResumePoint> readResumePoint(const std::string& path) {
    auto checkpoint = readCheckpoint(path);
    if (!checkpoint)
        return checkpoint.status();
    Result<int> epoch = checkpointEpoch(checkpoint.value().metadata, path);
    if (!epoch)
        return epoch.status();
    return ResumePoint{std::move(checkpoint).value(), epoch.value()};
}

Status applyResumePoint(const ResumePoint& point, Model& model, Trainer& trainer) {
    if (Status s = applyWeights(point.checkpoint, model); !s)
        return s;
    if (Status s = applyOptimizerState(point.checkpoint, trainer.optimizer()); !s)
        return s;
    trainer.setCompletedEpochs(point.epoch);
    return Status::ok();
}

} // namespace nc::engine
