#pragma once
// ONNX import: a model file as an editable NetCanvas graph (laid out in columns, names from
// the initializers: "conv1.weight" -> node conv1) with its weights under the graph's
// state-dict names.
//
//   auto imported = importOnnx(bytes, "model.onnx");
//   saveGraphFile(imported.value().graph, "model.json");
//
// Conv, ConvTranspose, the pools, Gemm and MatMul (+ Add), the activations, Flatten and
// Reshape (also from PyTorch's Shape/Gather/Unsqueeze/Concat chains), Concat, Add, Dropout,
// BatchNormalization, Resize/Upsample, LSTM, GRU and RNN (with the transposes PyTorch puts
// around them) and Gather of an embedding table. Anything else is refused with its operator
// and node; nothing is dropped. The graph has no loss: `notes` says so.

#include "engine/tensor.h"

#include "core/status.h"
#include "graph_model/graph.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nc::engine {

struct OnnxImport {
    nc::graph::Graph graph;
    std::vector<std::pair<std::string, Tensor>> weights; // state-dict names, graph order
    std::vector<std::string> notes;
};

nc::core::Result<OnnxImport> importOnnx(std::string_view bytes, const std::string& source);

// Reads an ONNX file: a regular file up to protobuf's 2 GiB, a pipe or device up to 64 MiB
// (so /dev/zero is refused at once, not after gigabytes); errors name the file.
nc::core::Result<std::string> readOnnxFile(const std::string& path);

} // namespace nc::engine
