#pragma once
// Fine-tuning: a run that starts from given weights (`train --init WEIGHTS`, the Training
// dock's "Start from the loaded weights") with a fresh optimizer and step count, unlike a
// resume, which continues a run's optimizer, epochs and folder.
//
// Any weights file fits: the .safetensors that `import` writes, a run's checkpoint (its
// optimizer state is ignored) or the weights a stopped run saved. The match is strict, so a
// file from another graph is refused before a run folder is made:
//
//   Result<SnapshotPtr> w = readInitialWeights(path);
//   if (Status s = checkInitialWeights(*w.value(), model, path); !s) refuse(s);
//   request.initialWeights = w.value();   // trainIntoRun applies them

#include "engine/model.h"
#include "engine/weightsnapshot.h"

#include "core/status.h"

#include <string>

namespace nc::engine {

// The file's tensors; a file with none is fine (a graph without parameters). A file that
// cannot be read is an I/O error (Status::isIoError).
nc::core::Result<SnapshotPtr> readInitialWeights(const std::string& path);

// Every parameter and buffer of the model must be in `weights` with its shape, and every
// tensor of `weights` must be one of them, except a checkpoint's optimizer state
// ("optimizer.*"), which a fresh start drops. The error names `source`, the tensor and both
// shapes.
nc::core::Status checkInitialWeights(const WeightSnapshot& weights, const Model& model,
                                     const std::string& source);

} // namespace nc::engine
