#pragma once
// The weights a probe runs with, as a WeightSnapshot: a model's initial values (before any
// training), a checkpoint's (after), or a trainer's latest snapshot (during). Probes copy
// them into their own model, so the weights a run trains are never touched.
//
//   SnapshotPtr w = initialWeights(model, settings.seed);
//   applySnapshot(*w, probeModel);

#include "../checkpoint.h"
#include "../model.h"
#include "../weightsnapshot.h"

#include <cstdint>
#include <string>

namespace nc::engine {

// The model's parameters initialised from `seed`, exactly as a training run with that seed
// starts (the model's own values are set too).
SnapshotPtr initialWeights(Model& model, std::uint64_t seed);
// Every tensor of a checkpoint (optimizer state included; applySnapshot takes what it needs).
SnapshotPtr checkpointWeights(const Checkpoint& checkpoint);
// Every parameter of `model` in `weights`, with its shape; the message names the first that is
// not, and `source`.
Status checkSnapshotCovers(const WeightSnapshot& weights, const Model& model,
                           const std::string& source);
// Copies every parameter and buffer of the model from the snapshot. A missing tensor or a
// shape that differs is an error naming it and `source`; the model is then left as it was.
Status applySnapshot(const WeightSnapshot& weights, Model& model, const std::string& source);

// The graph compiled, with `weights` applied (null: its initial weights for `seed`). Errors
// name what does not compile or which tensor `source` lacks.
Result<Model> compileWithWeights(const nc::graph::Graph& graph, const SnapshotPtr& weights,
                                 std::uint64_t seed, const std::string& source);

} // namespace nc::engine
