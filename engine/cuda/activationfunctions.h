#pragma once
// The activations on the GPU, fused with a bias add: Conv2D, Deconv2D, Dense and Activation
// share them. Element-wise ones are own kernels (cuDNN's activation backward needs the
// pre-activation input, which fused layers do not keep; these compute the gradient from the
// output, as the CPU does); softmax is cuDNN's, over the channel axis at each position.

#include "cudacontext.h"

#include "../op.h"

namespace nc::engine::cuda {

struct ActivationShape {
    std::int64_t samples, channels, inner;
    std::int64_t total() const { return samples * channels * inner; }
};

// y = act(x + bias[channel]); x may be y; bias may be null.
Status activate(CudaContext& context, ActivationKind kind, float alpha, const float* x, float* y,
                const float* bias, const ActivationShape& shape);

// The gradient before the activation, dz = act'(y) * dy: dy itself for a linear activation,
// else a scratch buffer of the context (slot `slot`).
Result<const float*> activationGradient(CudaContext& context, ActivationKind kind, float alpha,
                                        const float* y, const float* dy,
                                        const ActivationShape& shape, int slot);

// dx += act'(y) * dy.
Status addActivationGradient(CudaContext& context, ActivationKind kind, float alpha, const float* y,
                             const float* dy, float* dx, const ActivationShape& shape);

} // namespace nc::engine::cuda
