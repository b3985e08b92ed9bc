#pragma once
// Settings shared by the windowed ops (convolution, deconvolution, pooling) and the ops with a
// fused activation: resolved from the graph's parameter values at lowering time.

#include "../op.h"
#include "../tensor.h"

#include "graph_model/paramvalue.h"

#include <string>

namespace nc::engine {

Window windowOf(const nc::graph::IntList& kernel, const nc::graph::IntList& stride,
                const nc::graph::IntList& dilation);

// Turns a padding parameter ("valid", "same", "full" or [ph, pw]) into explicit amounts on
// each side, for an op whose per-sample input is `in` and output `out` (C, H, W).
// `transposed`: the padding is a Deconv2D's crop.
void resolvePadding(const nc::graph::ParamValue& padding, Window& w, const Dims& in,
                    const Dims& out, bool transposed);

ActivationKind activationKind(const std::string& name);
// Fused activations have no alpha parameter: leaky_relu uses 0.01 and elu 1, as PyTorch.
float fusedAlpha(ActivationKind kind);

} // namespace nc::engine
