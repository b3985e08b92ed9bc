#pragma once
// Every activation function's facts in one table: NetCanvas's name (the `activation` and
// `function` parameter values), the ONNX operator, the PyTorch expression, and the parameter
// a fused activation uses. The kernels, the lowering, both exports and the ONNX import read it;
// a new activation is one row here plus its kernel.
//
//   const ActivationFacts* relu = findActivation("relu");
//   pytorchActivation(*relu, "x", 0.0f, 1);              // "F.relu(x)"

#include "op.h"

#include <span>
#include <string>
#include <string_view>

namespace nc::engine {

struct ActivationFacts {
    ActivationKind kind = ActivationKind::Linear;
    std::string_view name;   // NetCanvas's, as in graph files
    std::string_view onnxOp; // ONNX's operator ("Identity" for linear)
    // PyTorch's expression: {x} the value, {alpha} the parameter, {dim} softmax's axis.
    std::string_view pytorch;
    bool takesAlpha = false; // ONNX's `alpha` attribute, PyTorch's second argument
    // The parameter of a fused activation (a Conv2D's or Dense's, which has none of its own):
    // PyTorch's and ONNX's defaults.
    float fusedAlpha = 0.0f;
};

std::span<const ActivationFacts> activationTable();
const ActivationFacts& activationFacts(ActivationKind kind);
const ActivationFacts* findActivation(std::string_view name);
const ActivationFacts* findOnnxActivation(std::string_view onnxOp);

// The PyTorch expression applying `facts` to the expression `x`.
std::string pytorchActivation(const ActivationFacts& facts, const std::string& x,
                              const std::string& alpha, int softmaxDim);

} // namespace nc::engine
