#pragma once
// PyTorch export: a compiled model (weights on the host) as a small PyTorch project.
//
//   model.py            a readable nn.Module named after the graph, its layers named as the
//                       graph's nodes (so the state-dict names are NetCanvas's), a tied
//                       Deconv2D reading its Conv2D's weight, and a tiny safetensors reader;
//                       `python3 model.py` prints the outputs for a fixed input
//   weights.safetensors the weights
//   train.py            the graph's optimizer, schedule and losses; DistributedDataParallel
//                       under torchrun (gloo on CPUs, NCCL on GPUs)
//   graph.json          the graph, whose training settings train.py reads
//   README.md           how to run them
//
//   Status s = exportPytorch(model, "mnist_cnn", "out/");

#include "engine/model.h"

#include <string>

namespace nc::engine {

// The files exportPytorch writes into its folder, in the order it writes them.
inline constexpr const char* kPytorchProjectFiles[] = {"weights.safetensors", "model.py",
                                                       "train.py", "graph.json", "README.md"};
// The data file `export --pytorch DIR --data SPEC` adds, which train.py reads by default.
inline constexpr const char* kPytorchDataFile = "data.npz";

// The text of model.py. Errors name the layer that has no PyTorch form here.
Result<std::string> pytorchModelSource(const Model& model, const std::string& graphName);

// Writes the whole folder (created if needed; each file atomically). The caller checks first
// that the files may be written (core::OutputPlan): existing ones are replaced.
Status exportPytorch(const Model& model, const std::string& graphName, const std::string& dir);

// The embedded scripts (resources/export/).
extern const char* const kPytorchSupportSource; // modelsupport.py
extern const char* const kPytorchTrainSource;   // train.py

} // namespace nc::engine
