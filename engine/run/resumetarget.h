#pragma once
// Where a resumed run may go. Resuming writes the checkpoint, metrics.csv, run.json and the
// event file of the folder it goes to, so it must not go where that destroys a run:
//   - a folder that holds another run, or any file of a run's names that is not this run's
//     (a user's own graph.json), is refused (the run is told by its event file's name, which
//     the checkpoint records; the folder's own checkpoint.safetensors is its run's);
//   - resuming this same run from an earlier epoch than the folder holds (a backup of epoch 2
//     of a run now at epoch 6) cuts the run back, and is done only when the user says so.
// Reads only run.json, metrics.csv and the paths' identities, never the checkpoint's tensors.
//
//   Result<ResumeEffect> effect = checkResumeTarget(out, ckptPath, point.checkpoint.metadata,
//                                                   point.epoch);
//   if (effect && effect.value().cutsBack() && !force) refuse(effect.value().cutBackMessage());

#include "core/status.h"

#include <map>
#include <string>

namespace nc::engine {

struct ResumeEffect {
    std::string folder;
    std::string checkpoint;
    int folderEpochs = 0;  // the epochs the folder's run has recorded (0: no run there)
    int resumedEpoch = 0;  // the checkpoint's
    bool cutsBack() const { return folderEpochs > resumedEpoch; }
    // "RUN holds 6 epochs of this run; resuming from epoch 2 of CKPT drops epochs 3 to 6 (...)"
    std::string cutBackMessage() const;
};

// An error when `folder` holds another run (or a run that cannot be told apart), naming it.
nc::core::Result<ResumeEffect>
checkResumeTarget(const std::string& folder, const std::string& checkpointPath,
                  const std::map<std::string, std::string>& checkpointMetadata,
                  int checkpointEpoch);

} // namespace nc::engine
