#pragma once
// Backward checked against finite differences, on the model as it is: for sampled elements
// of each parameter (and of the input), the analytic d(loss)/d(element) beside the central
// difference (loss(v + eps) - loss(v - eps)) / 2 eps. The error is relative:
// |analytic - numeric| / max(1e-2, |analytic| + |numeric|). Runs on the CPU; the model's
// gradients are overwritten, its values restored.
//
//   Result<GradientCheck> c = checkGradients(model, x, y, Mode::Train, {"conv1.weight"});

#include "../model.h"

#include <string>
#include <vector>

namespace nc::engine {

struct TensorCheck {
    std::string name; // "conv1.weight", or "input"
    int checked = 0;
    int agreeing = 0; // elements whose error is below 1e-2
    double worstError = 0;
    std::string worstAt; // "conv1.weight[17]: analytic 0.012, numeric 0.0119"
};

struct GradientCheck {
    std::vector<TensorCheck> tensors;
    double worstError() const;
};

struct GradientCheckOptions {
    float epsilon = 1e-2f;
    int samplesPerTensor = 24;
    std::uint64_t seed = 5; // which elements are sampled
    bool input = true;      // also d(loss)/d(input)
};

// `only`: the parameters to check (all trainable ones when empty).
Result<GradientCheck> checkGradients(Model& model, const Tensor& x, const Tensor& y, Mode mode,
                                     const std::vector<std::string>& only = {},
                                     GradientCheckOptions options = {});

} // namespace nc::engine
