#pragma once
// The CUDA ops, one pair per op family (one file each, named like its CPU twin in
// engine/cpu/). Each reads an OpCall whose tensors live on the context's GPU, queues its work
// on the context's stream and returns a Status; gradients accumulate (+=) as on the CPU.

#include "cudacontext.h"

#include "../backend.h"

namespace nc::engine::cuda {

Status conv2dForward(CudaContext& context, const OpCall& call);
Status conv2dBackward(CudaContext& context, const OpCall& call);
Status deconv2dForward(CudaContext& context, const OpCall& call);
Status deconv2dBackward(CudaContext& context, const OpCall& call);
Status pool2dForward(CudaContext& context, const OpCall& call); // MaxPool2D, AvgPool2D
Status pool2dBackward(CudaContext& context, const OpCall& call);
Status globalAvgPool2dForward(CudaContext& context, const OpCall& call);
Status globalAvgPool2dBackward(CudaContext& context, const OpCall& call);
Status upscale2dForward(CudaContext& context, const OpCall& call);
Status upscale2dBackward(CudaContext& context, const OpCall& call);
Status denseForward(CudaContext& context, const OpCall& call);
Status denseBackward(CudaContext& context, const OpCall& call);
Status activationForward(CudaContext& context, const OpCall& call);
Status activationBackward(CudaContext& context, const OpCall& call);
Status dropoutForward(CudaContext& context, const OpCall& call);
Status dropoutBackward(CudaContext& context, const OpCall& call);
Status batchNormForward(CudaContext& context, const OpCall& call);
Status batchNormBackward(CudaContext& context, const OpCall& call);
Status reshapeForward(CudaContext& context, const OpCall& call);
Status reshapeBackward(CudaContext& context, const OpCall& call);
Status concatForward(CudaContext& context, const OpCall& call);
Status concatBackward(CudaContext& context, const OpCall& call);
Status addForward(CudaContext& context, const OpCall& call);
Status addBackward(CudaContext& context, const OpCall& call);
Status recurrentForward(CudaContext& context, const OpCall& call); // SimpleRNN, LSTM, GRU
Status recurrentBackward(CudaContext& context, const OpCall& call);
Status lossForward(CudaContext& context, const OpCall& call); // the three losses
Status lossBackward(CudaContext& context, const OpCall& call);

// Sizes an op's state (masks, indices, statistics kept for backward); an allocation that
// failed is reported here, before a kernel writes through it.
inline Status resizeState(CudaContext& context, Tensor& state, const Dims& dims) {
    state.resize(dims);
    if (state.capacity() >= state.size())
        return Status::ok();
    Status noted = context.takeError();
    return noted ? Status::error("no GPU memory for the op's state") : noted;
}

// The gradient tensor of input `i` / parameter `i`, or null when it is not wanted.
inline Tensor* gradInput(const OpCall& call, std::size_t i) {
    return i < call.gradInputs.size() ? call.gradInputs[i] : nullptr;
}
inline Tensor* gradParam(const OpCall& call, std::size_t i) {
    return i < call.gradParams.size() ? call.gradParams[i] : nullptr;
}

} // namespace nc::engine::cuda
