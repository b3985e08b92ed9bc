// Concat and Add on the CPU (concatlayout.h has how Concat lays its inputs out).

#include "kernels.h"

#include "../concatlayout.h"

#include <algorithm>

namespace nc::engine::cpu {

Status concatForward(const OpCall& call) {
    const int axis = call.attrs->axis;
    Tensor& y = *call.output;
    const ConcatLayout l = concatLayout(y, axis);
    const std::int64_t outBlock = y.dim(axis + 1) * l.inner;
    std::int64_t offset = 0;
    for (const Tensor* in : call.inputs) {
        const std::int64_t block = in->dim(axis + 1) * l.inner;
#pragma omp parallel for schedule(static)
        for (std::int64_t o = 0; o < l.outer; ++o)
            std::copy(in->data() + o * block, in->data() + (o + 1) * block,
                      y.data() + o * outBlock + offset);
        offset += block;
    }
    return Status::ok();
}

Status concatBackward(const OpCall& call) {
    const int axis = call.attrs->axis;
    const Tensor& dy = *call.gradOutput;
    const ConcatLayout l = concatLayout(*call.output, axis);
    const std::int64_t outBlock = call.output->dim(axis + 1) * l.inner;
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < call.inputs.size(); ++i) {
        const std::int64_t block = call.inputs[i]->dim(axis + 1) * l.inner;
        if (Tensor* dx = call.gradInputs[i]) {
#pragma omp parallel for schedule(static)
            for (std::int64_t o = 0; o < l.outer; ++o) {
                const float* src = dy.data() + o * outBlock + offset;
                float* dst = dx->data() + o * block;
                for (std::int64_t j = 0; j < block; ++j)
                    dst[j] += src[j];
            }
        }
        offset += block;
    }
    return Status::ok();
}

Status addForward(const OpCall& call) {
    Tensor& y = *call.output;
    const std::int64_t n = y.size();
    std::copy(call.inputs[0]->data(), call.inputs[0]->data() + n, y.data());
    for (std::size_t i = 1; i < call.inputs.size(); ++i) {
        const float* in = call.inputs[i]->data();
#pragma omp parallel for simd schedule(static)
        for (std::int64_t j = 0; j < n; ++j)
            y.data()[j] += in[j];
    }
    return Status::ok();
}

Status addBackward(const OpCall& call) {
    const Tensor& dy = *call.gradOutput;
    const std::int64_t n = dy.size();
    for (Tensor* dx : call.gradInputs) {
        if (!dx)
            continue;
#pragma omp parallel for simd schedule(static)
        for (std::int64_t j = 0; j < n; ++j)
            dx->data()[j] += dy.data()[j];
    }
    return Status::ok();
}

} // namespace nc::engine::cpu
