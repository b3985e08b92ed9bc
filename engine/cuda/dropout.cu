// Dropout on the GPU: inverted dropout whose mask is the same pure function of
// (seed, stream, element index) as on the CPU (random.h), so both backends drop the same
// elements for a given seed and step, bit for bit.

#include "elementwise.h"
#include "kernels.h"

#include "../random.h"
#include "../stepvalues.h"

namespace nc::engine::cuda {

namespace {

// With `values` the stream is the node's, at the step read from there (opcall.h).
__global__ void dropoutForwardKernel(const float* x, float* y, float* mask, float rate,
                                     std::uint64_t seed, std::uint64_t stream,
                                     const StepValues* values, std::int64_t count) {
    const float scale = 1.0f / (1.0f - rate);
    if (values)
        stream = dropoutStream(values->step, stream);
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < count;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const float m = uniform01(seed, stream, std::uint64_t(i)) >= rate ? scale : 0.0f;
        mask[i] = m;
        y[i] = x[i] * m;
    }
}

__global__ void dropoutBackwardKernel(const float* dy, const float* mask, float* dx,
                                      std::int64_t count) {
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < count;
         i += std::int64_t(gridDim.x) * blockDim.x)
        dx[i] += dy[i] * mask[i];
}

bool isIdentity(const OpCall& call) {
    return call.mode == Mode::Eval || call.attrs->rate <= 0.0f;
}

} // namespace

Status dropoutForward(CudaContext& context, const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    Tensor& y = *call.output;
    if (isIdentity(call))
        return check(cudaMemcpyAsync(y.data(), x.data(), std::size_t(x.size()) * 4,
                                     cudaMemcpyDeviceToDevice, context.stream()),
                     "cudaMemcpyAsync (Dropout)");
    if (Status s = resizeState(context, *call.state, x.dims()); !s)
        return s;
    dropoutForwardKernel<<<blocksFor(x.size()), 256, 0, context.stream()>>>(
        x.data(), y.data(), call.state->data(), call.attrs->rate, call.seed, call.stream,
        call.stepValues ? reinterpret_cast<const StepValues*>(call.stepValues->data()) : nullptr,
        x.size());
    return checkLaunch("dropout kernel");
}

Status dropoutBackward(CudaContext& context, const OpCall& call) {
    Tensor* dx = gradInput(call, 0);
    if (!dx)
        return Status::ok();
    const Tensor& dy = *call.gradOutput;
    if (isIdentity(call))
        return addInto(context, dx->data(), dy.data(), dy.size());
    dropoutBackwardKernel<<<blocksFor(dy.size()), 256, 0, context.stream()>>>(
        dy.data(), call.state->data(), dx->data(), dy.size());
    return checkLaunch("dropout gradient kernel");
}

} // namespace nc::engine::cuda
