#include "activationfunctions.h"

#include "cudnnhelpers.h"
#include "elementwise.h"

namespace nc::engine::cuda {

namespace {

__device__ float forwardValue(ActivationKind kind, float alpha, float v) {
    switch (kind) {
    case ActivationKind::Relu:
        return v > 0.0f ? v : 0.0f;
    case ActivationKind::LeakyRelu:
        return v > 0.0f ? v : alpha * v;
    case ActivationKind::Tanh:
        return tanhf(v);
    case ActivationKind::Sigmoid:
        return 1.0f / (1.0f + expf(-v));
    case ActivationKind::Elu:
        return v > 0.0f ? v : alpha * expm1f(v);
    default:
        return v;
    }
}

__device__ float gradientValue(ActivationKind kind, float alpha, float y, float dy) {
    switch (kind) {
    case ActivationKind::Relu:
        return y > 0.0f ? dy : 0.0f;
    case ActivationKind::LeakyRelu:
        return y > 0.0f ? dy : alpha * dy;
    case ActivationKind::Tanh:
        return dy * (1.0f - y * y);
    case ActivationKind::Sigmoid:
        return dy * y * (1.0f - y);
    case ActivationKind::Elu:
        return y > 0.0f ? dy : dy * (y + alpha);
    default:
        return dy;
    }
}

__global__ void activateKernel(ActivationKind kind, float alpha, const float* x, float* y,
                               const float* bias, ActivationShape s) {
    const std::int64_t total = s.samples * s.channels * s.inner;
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        float v = x[i];
        if (bias)
            v += bias[(i / s.inner) % s.channels];
        y[i] = forwardValue(kind, alpha, v);
    }
}

__global__ void gradientKernel(ActivationKind kind, float alpha, const float* y, const float* dy,
                               float* dz, bool accumulate, std::int64_t total) {
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const float g = gradientValue(kind, alpha, y[i], dy[i]);
        dz[i] = accumulate ? dz[i] + g : g;
    }
}

// cuDNN's view of a softmax over channels: N x C x inner x 1.
Status softmax(CudaContext& context, float* y, const ActivationShape& s) {
    TensorDesc desc;
    if (Status st = desc.set(s.samples, s.channels, s.inner, 1); !st)
        return st;
    const float one = 1.0f, zero = 0.0f;
    return check(cudnnSoftmaxForward(context.cudnn(), CUDNN_SOFTMAX_ACCURATE,
                                     CUDNN_SOFTMAX_MODE_CHANNEL, &one, desc.get(), y, &zero,
                                     desc.get(), y),
                 "cudnnSoftmaxForward");
}

Status softmaxGradient(CudaContext& context, const float* y, const float* dy, float* dz,
                       float beta, const ActivationShape& s) {
    TensorDesc desc;
    if (Status st = desc.set(s.samples, s.channels, s.inner, 1); !st)
        return st;
    const float one = 1.0f;
    return check(cudnnSoftmaxBackward(context.cudnn(), CUDNN_SOFTMAX_ACCURATE,
                                      CUDNN_SOFTMAX_MODE_CHANNEL, &one, desc.get(), y,
                                      desc.get(), dy, &beta, desc.get(), dz),
                 "cudnnSoftmaxBackward");
}

} // namespace

Status activate(CudaContext& context, ActivationKind kind, float alpha, const float* x,
                float* y, const float* bias, const ActivationShape& shape) {
    const std::int64_t total = shape.total();
    if (total == 0)
        return Status::ok();
    const bool softmaxKind = kind == ActivationKind::Softmax;
    if (x != y || bias || !(kind == ActivationKind::Linear || softmaxKind)) {
        activateKernel<<<blocksFor(total), 256, 0, context.stream()>>>(
            softmaxKind ? ActivationKind::Linear : kind, alpha, x, y, bias, shape);
        if (Status s = checkLaunch("activation kernel"); !s)
            return s;
    }
    return softmaxKind ? softmax(context, y, shape) : Status::ok();
}

Result<const float*> activationGradient(CudaContext& context, ActivationKind kind, float alpha,
                                        const float* y, const float* dy,
                                        const ActivationShape& shape, int slot) {
    if (kind == ActivationKind::Linear)
        return dy;
    Result<float*> dz = context.scratch(slot, shape.total());
    if (!dz)
        return dz.status();
    if (kind == ActivationKind::Softmax) {
        if (Status s = softmaxGradient(context, y, dy, dz.value(), 0.0f, shape); !s)
            return s;
        return static_cast<const float*>(dz.value());
    }
    gradientKernel<<<blocksFor(shape.total()), 256, 0, context.stream()>>>(
        kind, alpha, y, dy, dz.value(), false, shape.total());
    if (Status s = checkLaunch("activation gradient kernel"); !s)
        return s;
    return static_cast<const float*>(dz.value());
}

Status addActivationGradient(CudaContext& context, ActivationKind kind, float alpha,
                             const float* y, const float* dy, float* dx,
                             const ActivationShape& shape) {
    if (shape.total() == 0)
        return Status::ok();
    if (kind == ActivationKind::Softmax)
        return softmaxGradient(context, y, dy, dx, 1.0f, shape);
    gradientKernel<<<blocksFor(shape.total()), 256, 0, context.stream()>>>(
        kind, alpha, y, dy, dx, true, shape.total());
    return checkLaunch("activation gradient kernel");
}

} // namespace nc::engine::cuda
