// Reshape (and Flatten) on the CPU: the same values under a new per-sample shape.

#include "kernels.h"
#include "scratch.h"

#include <algorithm>

namespace nc::engine::cpu {

Status reshapeForward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    std::copy(x.data(), x.data() + x.size(), call.output->data());
    return Status::ok();
}

Status reshapeBackward(const OpCall& call) {
    if (!call.gradInputs.empty() && call.gradInputs[0])
        addGradient(*call.gradInputs[0], call.gradOutput->data());
    return Status::ok();
}

} // namespace nc::engine::cpu
