// Concat and Add on the GPU (concatlayout.h has how Concat lays its inputs out).

#include "elementwise.h"
#include "kernels.h"

#include "../concatlayout.h"

namespace nc::engine::cuda {

namespace {

__global__ void blockCopyKernel(const float* src, float* dst, std::int64_t outer,
                                std::int64_t block, std::int64_t srcStride,
                                std::int64_t dstStride, bool accumulate) {
    const std::int64_t total = outer * block;
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const std::int64_t o = i / block, j = i % block;
        const float v = src[o * srcStride + j];
        float& d = dst[o * dstStride + j];
        d = accumulate ? d + v : v;
    }
}

} // namespace

Status concatForward(CudaContext& context, const OpCall& call) {
    const int axis = call.attrs->axis;
    Tensor& y = *call.output;
    const ConcatLayout l = concatLayout(y, axis);
    const std::int64_t outBlock = y.dim(axis + 1) * l.inner;
    std::int64_t offset = 0;
    for (const Tensor* in : call.inputs) {
        const std::int64_t block = in->dim(axis + 1) * l.inner;
        blockCopyKernel<<<blocksFor(l.outer * block), 256, 0, context.stream()>>>(
            in->data(), y.data() + offset, l.outer, block, block, outBlock, false);
        if (Status s = checkLaunch("concat kernel"); !s)
            return s;
        offset += block;
    }
    return Status::ok();
}

Status concatBackward(CudaContext& context, const OpCall& call) {
    const int axis = call.attrs->axis;
    const ConcatLayout l = concatLayout(*call.output, axis);
    const std::int64_t outBlock = call.output->dim(axis + 1) * l.inner;
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < call.inputs.size(); ++i) {
        const std::int64_t block = call.inputs[i]->dim(axis + 1) * l.inner;
        if (Tensor* dx = gradInput(call, i)) {
            blockCopyKernel<<<blocksFor(l.outer * block), 256, 0, context.stream()>>>(
                call.gradOutput->data() + offset, dx->data(), l.outer, block, outBlock, block,
                true);
            if (Status s = checkLaunch("concat gradient kernel"); !s)
                return s;
        }
        offset += block;
    }
    return Status::ok();
}

Status addForward(CudaContext& context, const OpCall& call) {
    Tensor& y = *call.output;
    const std::int64_t n = y.size();
    if (call.inputs.size() == 1)
        return check(cudaMemcpyAsync(y.data(), call.inputs[0]->data(), std::size_t(n) * 4,
                                     cudaMemcpyDeviceToDevice, context.stream()),
                     "cudaMemcpyAsync (Add)");
    if (Status s = addPair(context, y.data(), call.inputs[0]->data(), call.inputs[1]->data(), n);
        !s)
        return s;
    for (std::size_t i = 2; i < call.inputs.size(); ++i)
        if (Status s = addInto(context, y.data(), call.inputs[i]->data(), n); !s)
            return s;
    return Status::ok();
}

Status addBackward(CudaContext& context, const OpCall& call) {
    const Tensor& dy = *call.gradOutput;
    for (Tensor* dx : call.gradInputs)
        if (dx)
            if (Status s = addInto(context, dx->data(), dy.data(), dy.size()); !s)
                return s;
    return Status::ok();
}

} // namespace nc::engine::cuda
