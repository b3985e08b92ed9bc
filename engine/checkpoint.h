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
Result<Checkpoint> readCheckpoint(const std::string& path);

// Copies every parameter (and buffer) of the model from the checkpoint; a missing tensor or
// a shape that differs is an error, and then the model is left as it was.
Status applyWeights(const Checkpoint& checkpoint, Model& model);
Status applyOptimizerState(const Checkpoint& checkpoint, Optimizer& optimizer);

} // namespace nc::engine
