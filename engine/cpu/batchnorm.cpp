// BatchNorm on the CPU, per channel (axis 1 of the batch). Training normalises with the batch
// mean and (biased) variance and updates the running statistics with the unbiased variance,
// as PyTorch does; evaluation uses the running statistics. The state keeps mean and 1/std
// per channel for the backward pass.
// Our momentum is the weight of the old statistics (0.9), PyTorch's is 1 - that (0.1).

#include "kernels.h"

#include <cmath>
#include <vector>

namespace nc::engine::cpu {

namespace {

struct BnShape {
    std::int64_t n, c, inner;
};

BnShape bnShape(const Tensor& x) {
    std::int64_t c = x.rank() > 1 ? x.dim(1) : 1;
    return {x.dim(0), c, sampleSize(x) / c};
}

} // namespace

Status batchNormForward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    Tensor& y = *call.output;
    const BnShape s = bnShape(x);
    const float* gamma = call.params[0]->data();
    const float* beta = call.params[1]->data();
    float* runningMean = call.params[2]->data();
    float* runningVar = call.params[3]->data();
    const float eps = call.attrs->epsilon, momentum = call.attrs->momentum;
    const bool train = call.mode == Mode::Train;
    call.state->resize({2, s.c});
    float* savedMean = call.state->data();
    float* savedInvStd = savedMean + s.c;
    const std::int64_t count = s.n * s.inner;
#pragma omp parallel for schedule(static)
    for (std::int64_t ch = 0; ch < s.c; ++ch) {
        float mean = runningMean[ch], var = runningVar[ch];
        if (train) {
            double sum = 0.0, sq = 0.0;
            for (std::int64_t i = 0; i < s.n; ++i) {
                const float* p = x.data() + (i * s.c + ch) * s.inner;
                for (std::int64_t j = 0; j < s.inner; ++j) {
                    sum += p[j];
                    sq += double(p[j]) * p[j];
                }
            }
            double m = sum / double(count);
            double v = std::max(sq / double(count) - m * m, 0.0);
            mean = float(m);
            var = float(v);
            double unbiased = count > 1 ? v * double(count) / double(count - 1) : v;
            runningMean[ch] = momentum * runningMean[ch] + (1.0f - momentum) * mean;
            runningVar[ch] = momentum * runningVar[ch] + (1.0f - momentum) * float(unbiased);
        }
        const float invStd = 1.0f / std::sqrt(var + eps);
        savedMean[ch] = mean;
        savedInvStd[ch] = invStd;
        for (std::int64_t i = 0; i < s.n; ++i) {
            const std::int64_t offset = (i * s.c + ch) * s.inner;
            for (std::int64_t j = 0; j < s.inner; ++j)
                y.data()[offset + j] =
                    gamma[ch] * (x.data()[offset + j] - mean) * invStd + beta[ch];
        }
    }
    return Status::ok();
}

Status batchNormBackward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& dy = *call.gradOutput;
    const BnShape s = bnShape(x);
    const float* gamma = call.params[0]->data();
    const float* savedMean = call.state->data();
    const float* savedInvStd = savedMean + s.c;
    Tensor* dx = call.gradInputs.empty() ? nullptr : call.gradInputs[0];
    float* dGamma =
        call.gradParams.size() > 0 && call.gradParams[0] ? call.gradParams[0]->data() : nullptr;
    float* dBeta =
        call.gradParams.size() > 1 && call.gradParams[1] ? call.gradParams[1]->data() : nullptr;
    const bool train = call.mode == Mode::Train;
    const double count = double(s.n * s.inner);
#pragma omp parallel for schedule(static)
    for (std::int64_t ch = 0; ch < s.c; ++ch) {
        const float mean = savedMean[ch], invStd = savedInvStd[ch];
        double sumDy = 0.0, sumDyXhat = 0.0;
        for (std::int64_t i = 0; i < s.n; ++i) {
            const std::int64_t offset = (i * s.c + ch) * s.inner;
            for (std::int64_t j = 0; j < s.inner; ++j) {
                const float g = dy.data()[offset + j];
                sumDy += g;
                sumDyXhat += double(g) * (x.data()[offset + j] - mean) * invStd;
            }
        }
        if (dGamma)
            dGamma[ch] += float(sumDyXhat);
        if (dBeta)
            dBeta[ch] += float(sumDy);
        if (!dx)
            continue;
        const float scale = gamma[ch] * invStd;
        const float meanDy = float(sumDy / count), meanDyXhat = float(sumDyXhat / count);
        for (std::int64_t i = 0; i < s.n; ++i) {
            const std::int64_t offset = (i * s.c + ch) * s.inner;
            for (std::int64_t j = 0; j < s.inner; ++j) {
                const float g = dy.data()[offset + j];
                if (train) {
                    const float xhat = (x.data()[offset + j] - mean) * invStd;
                    dx->data()[offset + j] += scale * (g - meanDy - xhat * meanDyXhat);
                } else {
                    dx->data()[offset + j] += scale * g;
                }
            }
        }
    }
    return Status::ok();
}

} // namespace nc::engine::cpu
