// BatchNorm on the GPU, per channel (axis 1): cuDNN's spatial batch normalisation for
// training (batch statistics, running statistics updated with the unbiased variance, as
// PyTorch and the CPU do) and for evaluation (running statistics). cuDNN has no backward
// pass for evaluation mode, so that one is an own kernel. The state keeps the mean and
// 1/std per channel, as on the CPU.
// Our momentum is the weight of the old statistics (0.9); cuDNN's factor is 1 - that.

#include "cudnnhelpers.h"
#include "elementwise.h"
#include "kernels.h"

namespace nc::engine::cuda {

namespace {

struct BnShape {
    std::int64_t n, c, inner;
};

BnShape bnShape(const Tensor& x) {
    const std::int64_t c = x.rank() > 1 ? x.dim(1) : 1;
    return {x.dim(0), c, sampleSize(x) / c};
}

// Evaluation backward: one block per channel sums dy and dy * xhat, then every thread adds
// its share to dx (which in evaluation is simply gamma * invStd * dy).
constexpr int kThreads = 256;

__global__ void evalBackwardKernel(const float* x, const float* dy, const float* gamma,
                                   const float* mean, const float* var, float epsilon,
                                   float* dx, float* dGamma, float* dBeta, BnShape s) {
    const std::int64_t ch = blockIdx.x;
    const float invStd = rsqrtf(var[ch] + epsilon);
    __shared__ double sums[2][kThreads];
    double sumDy = 0.0, sumDyXhat = 0.0;
    const std::int64_t count = s.n * s.inner;
    for (std::int64_t k = threadIdx.x; k < count; k += blockDim.x) {
        const std::int64_t i = (k / s.inner * s.c + ch) * s.inner + k % s.inner;
        const float g = dy[i];
        sumDy += g;
        sumDyXhat += double(g) * (x[i] - mean[ch]) * invStd;
        if (dx)
            dx[i] += gamma[ch] * invStd * g;
    }
    sums[0][threadIdx.x] = sumDy;
    sums[1][threadIdx.x] = sumDyXhat;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (int(threadIdx.x) < stride) {
            sums[0][threadIdx.x] += sums[0][threadIdx.x + stride];
            sums[1][threadIdx.x] += sums[1][threadIdx.x + stride];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        if (dGamma)
            dGamma[ch] += float(sums[1][0]);
        if (dBeta)
            dBeta[ch] += float(sums[0][0]);
    }
}

__global__ void saveRunningKernel(const float* mean, const float* var, float epsilon,
                                  float* saved, std::int64_t channels) {
    for (std::int64_t ch = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; ch < channels;
         ch += std::int64_t(gridDim.x) * blockDim.x) {
        saved[ch] = mean[ch];
        saved[channels + ch] = rsqrtf(var[ch] + epsilon);
    }
}

} // namespace

Status batchNormForward(CudaContext& context, const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    Tensor& y = *call.output;
    const BnShape s = bnShape(x);
    TensorDesc xDesc, paramDesc;
    if (Status st = xDesc.set(s.n, s.c, s.inner, 1); !st)
        return st;
    if (Status st = paramDesc.set(1, s.c, 1, 1); !st)
        return st;
    if (Status st = resizeState(context, *call.state, {2, s.c}); !st)
        return st;
    float* saved = call.state->data();
    const float one = 1.0f, zero = 0.0f;
    const double epsilon = std::max(double(call.attrs->epsilon), CUDNN_BN_MIN_EPSILON);
    if (call.mode == Mode::Train && s.n * s.inner < 2)
        return Status::error("BatchNorm needs more than one value per channel in training (a "
                             "batch of " + std::to_string(s.n) + ")");
    if (call.mode == Mode::Train)
        return check(cudnnBatchNormalizationForwardTraining(
                         context.cudnn(), CUDNN_BATCHNORM_SPATIAL, &one, &zero, xDesc.get(),
                         x.data(), xDesc.get(), y.data(), paramDesc.get(), call.params[0]->data(),
                         call.params[1]->data(), 1.0 - double(call.attrs->momentum),
                         call.params[2]->data(), call.params[3]->data(), epsilon, saved,
                         saved + s.c),
                     "cudnnBatchNormalizationForwardTraining");
    if (Status st = check(cudnnBatchNormalizationForwardInference(
                              context.cudnn(), CUDNN_BATCHNORM_SPATIAL, &one, &zero, xDesc.get(),
                              x.data(), xDesc.get(), y.data(), paramDesc.get(),
                              call.params[0]->data(), call.params[1]->data(),
                              call.params[2]->data(), call.params[3]->data(), epsilon),
                          "cudnnBatchNormalizationForwardInference");
        !st)
        return st;
    saveRunningKernel<<<blocksFor(s.c), 256, 0, context.stream()>>>(
        call.params[2]->data(), call.params[3]->data(), float(epsilon), saved, s.c);
    return checkLaunch("batch norm kernel");
}

Status batchNormBackward(CudaContext& context, const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& dy = *call.gradOutput;
    const BnShape s = bnShape(x);
    Tensor* dx = gradInput(call, 0);
    Tensor* dGamma = gradParam(call, 0);
    Tensor* dBeta = gradParam(call, 1);
    const double epsilon = std::max(double(call.attrs->epsilon), CUDNN_BN_MIN_EPSILON);
    if (call.mode == Mode::Eval) {
        evalBackwardKernel<<<unsigned(s.c), kThreads, 0, context.stream()>>>(
            x.data(), dy.data(), call.params[0]->data(), call.params[2]->data(),
            call.params[3]->data(), float(epsilon), dx ? dx->data() : nullptr,
            dGamma ? dGamma->data() : nullptr, dBeta ? dBeta->data() : nullptr, s);
        return checkLaunch("batch norm gradient kernel");
    }
    // cuDNN writes all three results; those nobody wants go to separate scratch ranges.
    Result<float*> spare = context.scratch(4, x.size() + 2 * s.c);
    if (!spare)
        return spare.status();
    TensorDesc xDesc, paramDesc;
    if (Status st = xDesc.set(s.n, s.c, s.inner, 1); !st)
        return st;
    if (Status st = paramDesc.set(1, s.c, 1, 1); !st)
        return st;
    const float one = 1.0f, zero = 0.0f;
    const float* saved = call.state->data();
    // One blend factor serves both parameter gradients: they accumulate (+=) when either is
    // wanted, and a spare range then starts from whatever it holds, which nobody reads.
    const float* paramBeta = dGamma || dBeta ? &one : &zero;
    float* spareParams = spare.value() + x.size();
    return check(cudnnBatchNormalizationBackward(
                     context.cudnn(), CUDNN_BATCHNORM_SPATIAL, &one, dx ? &one : &zero, &one,
                     paramBeta, xDesc.get(), x.data(), xDesc.get(), dy.data(), xDesc.get(),
                     dx ? dx->data() : spare.value(), paramDesc.get(), call.params[0]->data(),
                     dGamma ? dGamma->data() : spareParams,
                     dBeta ? dBeta->data() : spareParams + s.c, epsilon, saved, saved + s.c),
                 "cudnnBatchNormalizationBackward");
}

} // namespace nc::engine::cuda
