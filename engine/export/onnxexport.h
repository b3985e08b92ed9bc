#pragma once
// ONNX export (opset 17): a compiled model and its weights (on the host) as an ONNX model for
// inference, with a symbolic batch dimension, checked with onnx::checker and strict shape
// inference before it is returned.
//
//   auto exported = exportOnnx(model, "mnist_cnn");
//   if (exported) writeFileAtomically(path, exported.value().bytes);
//
// Losses are left out (the model's outputs are what fed them); Dropout is the identity and
// BatchNorm uses its running statistics, as in evaluation; `notes` says so per layer.
// Recurrent layers reorder their gates to ONNX's (LSTM i,o,f,c; GRU z,r,h with
// linear_before_reset=1). A tied Deconv2D uses its Conv2D's initializer.

#include "engine/model.h"

#include <string>
#include <vector>

namespace nc::engine {

struct OnnxModel {
    std::string bytes;               // the serialized ModelProto
    std::vector<std::string> inputs; // graph input names (one)
    std::vector<std::string> outputs;
    std::vector<std::string> initializers; // every initializer's name, in order
    std::vector<std::string> notes;        // what changed on the way (training-only layers, losses)
};

Result<OnnxModel> exportOnnx(const Model& model, const std::string& graphName);

} // namespace nc::engine
