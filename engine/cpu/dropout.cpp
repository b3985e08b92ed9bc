// Dropout on the CPU.

#include "kernels.h"
#include "scratch.h"

#include "../random.h"
#include "../stepvalues.h"

#include <algorithm>

namespace nc::engine::cpu {

// Inverted dropout: kept values are scaled by 1/(1-rate) in training, so evaluation is the
// identity. The mask is a pure function of (seed, stream, index).
Status dropoutForward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    Tensor& y = *call.output;
    const std::int64_t n = x.size();
    if (call.mode == Mode::Eval || call.attrs->rate <= 0.0f) {
        std::copy(x.data(), x.data() + n, y.data());
        return Status::ok();
    }
    call.state->resize(x.dims());
    float* mask = call.state->data();
    const float rate = call.attrs->rate, scale = 1.0f / (1.0f - rate);
    const std::uint64_t seed = call.seed;
    const std::uint64_t stream =
        call.stepValues ? dropoutStream(stepValuesIn(*call.stepValues).step, call.stream)
                        : call.stream;
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < n; ++i) {
        mask[i] = uniform01(seed, stream, std::uint64_t(i)) >= rate ? scale : 0.0f;
        y.data()[i] = x.data()[i] * mask[i];
    }
    return Status::ok();
}

Status dropoutBackward(const OpCall& call) {
    if (call.gradInputs.empty() || !call.gradInputs[0])
        return Status::ok();
    const Tensor& dy = *call.gradOutput;
    float* dx = call.gradInputs[0]->data();
    const std::int64_t n = dy.size();
    if (call.mode == Mode::Eval || call.attrs->rate <= 0.0f) {
        addGradient(*call.gradInputs[0], dy.data());
        return Status::ok();
    }
    const float* mask = call.state->data();
#pragma omp parallel for simd schedule(static)
    for (std::int64_t i = 0; i < n; ++i)
        dx[i] += dy.data()[i] * mask[i];
    return Status::ok();
}

} // namespace nc::engine::cpu
