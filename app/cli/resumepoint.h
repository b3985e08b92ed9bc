#pragma once
// `train --resume CKPT`: the checkpoint read and checked before anything is written, then
// applied to the model and trainer.

#include "engine/checkpoint.h"
#include "engine/trainer.h"

#include "core/status.h"

#include <string>

namespace nc::cli {

// The most epochs a run may have (--epochs) and so a checkpoint may record.
inline constexpr int kMaxResumableEpochs = 100000;

struct ResumePoint {
    nc::engine::Checkpoint checkpoint;
    int epoch = 0; // the epochs the checkpoint covers
};

// The checkpoint at `path` with its epoch checked: a missing, non-numeric or out-of-range
// epoch is an error naming the file.
nc::core::Result<ResumePoint> readResumePoint(const std::string& path);
// Weights, optimizer state and the completed epochs; an error leaves training unstarted.
nc::core::Status applyResumePoint(const ResumePoint& point, nc::engine::Model& model,
                                  nc::engine::Trainer& trainer);

} // namespace nc::cli
