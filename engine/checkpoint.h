#pragma once
// Checkpoints as safetensors (DESIGN.md section 4): tensors named like a PyTorch state_dict
// ("conv1.weight"), optimizer state as "optimizer.<param>.momentum" (or .m/.v), and the graph
// and training state in the metadata. Written atomically; read with every offset, shape and
// type checked, so a damaged file gives a message naming the file and the tensor.
//
//   saveCheckpoint(path, model, &optimizer, {{"epoch", "3"}});
//   Result<Checkpoint> c = readCheckpoint(path);
//   applyWeights(c.value(), model);

#include "backend.h"
#include "model.h"
#include "optimizer.h"

#include <map>
#include <string>
#include <string_view>

namespace nc::engine {

struct Checkpoint {
    std::string path;
    std::map<std::string, Tensor> tensors;
    std::map<std::string, std::string> metadata;
};

// Metadata always gets "format" = "netcanvas-checkpoint" and "graph" (the graph's JSON).
// Tensors on a device are read back through `device` (the backend that trained them).
Status saveCheckpoint(const std::string& path, const Model& model, Optimizer* optimizer,
                      std::map<std::string, std::string> metadata, Backend* device = nullptr);
// The metadata's "epoch" (0..INT_MAX) and "optimizer_steps" (0..INT64_MAX) are checked to be
// whole numbers in range when present. A file that cannot be read is an I/O error.
Result<Checkpoint> readCheckpoint(const std::string& path);
// The same from bytes in memory; `name` stands for the file in messages.
Result<Checkpoint> readCheckpointBytes(std::string_view bytes, const std::string& name);

// Copies every parameter (and buffer) of the model from the checkpoint; a missing tensor or
// a shape that differs is an error, and then the model is left as it was.
Status applyWeights(const Checkpoint& checkpoint, Model& model);
Status applyOptimizerState(const Checkpoint& checkpoint, Optimizer& optimizer);

} // namespace nc::engine
