#pragma once
// Resuming a run (`train --resume CKPT`, the app's Resume): the checkpoint is read and checked
// before anything is written, then applied to the model and trainer.

#include "engine/checkpoint.h"
#include "engine/trainer.h"

#include "core/status.h"

#include <string>

namespace nc::engine {

// The most epochs a run may have (--epochs) and so a checkpoint may record.
inline constexpr int kMaxResumableEpochs = 100000;

struct ResumePoint {
    Checkpoint checkpoint;
    int epoch = 0; // the epochs the checkpoint covers
};

// The checkpoint at `path` with its epoch checked: a missing, non-numeric or out-of-range
// epoch is an error naming the file.
nc::core::Result<ResumePoint> readResumePoint(const std::string& path);
// The epoch a checkpoint's metadata records, checked as readResumePoint checks it (for a
// look at a checkpoint's header alone: readSafetensorsMetadata).
nc::core::Result<int> checkpointEpoch(const std::map<std::string, std::string>& metadata,
                                      const std::string& path);
// Weights, optimizer state and the completed epochs; an error leaves training unstarted.
nc::core::Status applyResumePoint(const ResumePoint& point, Model& model, Trainer& trainer);

} // namespace nc::engine
