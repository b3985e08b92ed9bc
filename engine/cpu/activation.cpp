// Activation on the CPU.

#include "activationfunctions.h"
#include "kernels.h"
#include "scratch.h"

#include <algorithm>

namespace nc::engine::cpu {

namespace {

// Softmax runs over the first per-sample axis.
ActivationLayout layoutOf(const Tensor& t) {
    const std::int64_t n = t.dim(0);
    const std::int64_t channels = t.rank() > 1 ? t.dim(1) : 1;
    return {n, channels, channels > 0 ? sampleSize(t) / channels : 0};
}

} // namespace

Status activationForward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    std::copy(x.data(), x.data() + x.size(), call.output->data());
    activate(call.attrs->activation, call.attrs->alpha, call.output->data(), layoutOf(x));
    return Status::ok();
}

Status activationBackward(const OpCall& call) {
    if (call.gradInputs.empty() || !call.gradInputs[0])
        return Status::ok();
    const Tensor& y = *call.output;
    float* dz = scratch(1, y.size());
    activationGradient(call.attrs->activation, call.attrs->alpha, y.data(), call.gradOutput->data(),
                       dz, layoutOf(y));
    addGradient(*call.gradInputs[0], dz);
    return Status::ok();
}

} // namespace nc::engine::cpu
