// Upscale2D on the GPU: nearest neighbour, or bilinear with PyTorch's align_corners=False
// sampling (source = (dst + 0.5) / scale - 0.5, clamped to the image), as on the CPU. The
// backward pass scatters each output gradient to its (one or four) source cells.

#include "elementwise.h"
#include "kernels.h"

namespace nc::engine::cuda {

namespace {

struct UpscaleGeometry {
    std::int64_t planes;
    int h, w, oh, ow, sh, sw;
    bool bilinear;
};

struct Tap {
    int i0, i1;
    float weight1;
};

__device__ Tap bilinearTap(int dst, int scale, int size) {
    const float src = fmaxf((float(dst) + 0.5f) / float(scale) - 0.5f, 0.0f);
    const int i0 = min(int(src), size - 1);
    return {i0, min(i0 + 1, size - 1), src - float(i0)};
}

__global__ void upscaleForwardKernel(UpscaleGeometry g, const float* x, float* y) {
    const std::int64_t total = g.planes * g.oh * g.ow;
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const int ox = int(i % g.ow), oy = int((i / g.ow) % g.oh);
        const float* in = x + (i / (std::int64_t(g.oh) * g.ow)) * g.h * g.w;
        if (!g.bilinear) {
            y[i] = in[(oy / g.sh) * g.w + ox / g.sw];
            continue;
        }
        const Tap ty = bilinearTap(oy, g.sh, g.h), tx = bilinearTap(ox, g.sw, g.w);
        float v = 0.0f;
        v += (1 - ty.weight1) * (1 - tx.weight1) * in[ty.i0 * g.w + tx.i0];
        v += (1 - ty.weight1) * tx.weight1 * in[ty.i0 * g.w + tx.i1];
        v += ty.weight1 * (1 - tx.weight1) * in[ty.i1 * g.w + tx.i0];
        v += ty.weight1 * tx.weight1 * in[ty.i1 * g.w + tx.i1];
        y[i] = v;
    }
}

__global__ void upscaleBackwardKernel(UpscaleGeometry g, const float* dy, float* dx) {
    const std::int64_t total = g.planes * g.oh * g.ow;
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const int ox = int(i % g.ow), oy = int((i / g.ow) % g.oh);
        float* d = dx + (i / (std::int64_t(g.oh) * g.ow)) * g.h * g.w;
        const float grad = dy[i];
        if (!g.bilinear) {
            atomicAdd(&d[(oy / g.sh) * g.w + ox / g.sw], grad);
            continue;
        }
        const Tap ty = bilinearTap(oy, g.sh, g.h), tx = bilinearTap(ox, g.sw, g.w);
        atomicAdd(&d[ty.i0 * g.w + tx.i0], (1 - ty.weight1) * (1 - tx.weight1) * grad);
        atomicAdd(&d[ty.i0 * g.w + tx.i1], (1 - ty.weight1) * tx.weight1 * grad);
        atomicAdd(&d[ty.i1 * g.w + tx.i0], ty.weight1 * (1 - tx.weight1) * grad);
        atomicAdd(&d[ty.i1 * g.w + tx.i1], ty.weight1 * tx.weight1 * grad);
    }
}

UpscaleGeometry geometryOf(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& y = *call.output;
    return {x.dim(0) * x.dim(1), int(x.dim(2)),         int(x.dim(3)),        int(y.dim(2)),
            int(y.dim(3)),       call.attrs->window.sh, call.attrs->window.sw, call.attrs->bilinear};
}

} // namespace

Status upscale2dForward(CudaContext& context, const OpCall& call) {
    const UpscaleGeometry g = geometryOf(call);
    upscaleForwardKernel<<<blocksFor(g.planes * g.oh * g.ow), 256, 0, context.stream()>>>(
        g, call.inputs[0]->data(), call.output->data());
    return checkLaunch("upscale kernel");
}

Status upscale2dBackward(CudaContext& context, const OpCall& call) {
    Tensor* dx = gradInput(call, 0);
    if (!dx)
        return Status::ok();
    const UpscaleGeometry g = geometryOf(call);
    upscaleBackwardKernel<<<blocksFor(g.planes * g.oh * g.ow), 256, 0, context.stream()>>>(
        g, call.gradOutput->data(), dx->data());
    return checkLaunch("upscale gradient kernel");
}

} // namespace nc::engine::cuda
