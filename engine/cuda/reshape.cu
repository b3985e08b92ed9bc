// Reshape (and Flatten) on the GPU: the same values under a new per-sample shape.

#include "elementwise.h"
#include "kernels.h"

namespace nc::engine::cuda {

Status reshapeForward(CudaContext& context, const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    return check(cudaMemcpyAsync(call.output->data(), x.data(), std::size_t(x.size()) * 4,
                                 cudaMemcpyDeviceToDevice, context.stream()),
                 "cudaMemcpyAsync (Reshape)");
}

Status reshapeBackward(CudaContext& context, const OpCall& call) {
    Tensor* dx = gradInput(call, 0);
    if (!dx)
        return Status::ok();
    return addInto(context, dx->data(), call.gradOutput->data(), dx->size());
}

} // namespace nc::engine::cuda
