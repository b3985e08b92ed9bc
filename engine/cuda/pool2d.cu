// MaxPool2D and AvgPool2D on the GPU, one thread per output cell, with the CPU's exact
// semantics: windows are clipped to the image (padding never wins a max and adds nothing to
// a mean, which divides by the cells inside), and max pooling keeps the winning cell of each
// window (the first on ties) in the op's state for the backward pass. Own kernels rather
// than cuDNN's pooling: cuDNN pads symmetrically only, and "same" pooling often is not.

#include "elementwise.h"
#include "kernels.h"

namespace nc::engine::cuda {

namespace {

struct PoolGeometry {
    std::int64_t planes;
    int h, w, oh, ow;
    Window win;
};

__device__ void windowOf(const PoolGeometry& g, int oy, int ox, int& y0, int& y1, int& x0,
                         int& x1) {
    const int ys = oy * g.win.sh - g.win.padTop, xs = ox * g.win.sw - g.win.padLeft;
    y0 = max(ys, 0);
    y1 = min(ys + g.win.kh, g.h);
    x0 = max(xs, 0);
    x1 = min(xs + g.win.kw, g.w);
}

__global__ void poolForwardKernel(PoolGeometry g, bool isMax, const float* x, float* y,
                                  float* argmax) {
    const std::int64_t total = g.planes * g.oh * g.ow;
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const int ox = int(i % g.ow), oy = int((i / g.ow) % g.oh);
        const std::int64_t plane = i / (std::int64_t(g.oh) * g.ow);
        const float* in = x + plane * g.h * g.w;
        int y0, y1, x0, x1;
        windowOf(g, oy, ox, y0, y1, x0, x1);
        if (isMax) {
            float best = -INFINITY;
            int bestIndex = y0 * g.w + x0;
            for (int iy = y0; iy < y1; ++iy)
                for (int ix = x0; ix < x1; ++ix)
                    if (in[iy * g.w + ix] > best) {
                        best = in[iy * g.w + ix];
                        bestIndex = iy * g.w + ix;
                    }
            y[i] = best;
            argmax[i] = float(bestIndex);
        } else {
            float sum = 0.0f;
            for (int iy = y0; iy < y1; ++iy)
                for (int ix = x0; ix < x1; ++ix)
                    sum += in[iy * g.w + ix];
            y[i] = sum / float(max(1, (y1 - y0) * (x1 - x0)));
        }
    }
}

// One thread per input cell gathers from the windows that hold it: deterministic, no atomics.
__global__ void poolBackwardKernel(PoolGeometry g, bool isMax, const float* dy,
                                   const float* argmax, float* dx) {
    const std::int64_t total = g.planes * g.h * g.w;
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const int ix = int(i % g.w), iy = int((i / g.w) % g.h);
        const std::int64_t plane = i / (std::int64_t(g.h) * g.w);
        // Output rows whose window covers iy: oy*sh - padTop <= iy < oy*sh - padTop + kh.
        const int oyLo = max(0, (iy + g.win.padTop - g.win.kh + g.win.sh) / g.win.sh);
        const int oyHi = min(g.oh - 1, (iy + g.win.padTop) / g.win.sh);
        const int oxLo = max(0, (ix + g.win.padLeft - g.win.kw + g.win.sw) / g.win.sw);
        const int oxHi = min(g.ow - 1, (ix + g.win.padLeft) / g.win.sw);
        const std::int64_t base = plane * g.oh * g.ow;
        const int self = iy * g.w + ix;
        float sum = 0.0f;
        for (int oy = oyLo; oy <= oyHi; ++oy) {
            for (int ox = oxLo; ox <= oxHi; ++ox) {
                const std::int64_t o = base + oy * g.ow + ox;
                if (isMax) {
                    if (int(argmax[o]) == self)
                        sum += dy[o];
                } else {
                    int y0, y1, x0, x1;
                    windowOf(g, oy, ox, y0, y1, x0, x1);
                    if (iy >= y0 && iy < y1 && ix >= x0 && ix < x1)
                        sum += dy[o] / float(max(1, (y1 - y0) * (x1 - x0)));
                }
            }
        }
        dx[i] += sum;
    }
}

__global__ void globalAvgForwardKernel(const float* x, float* y, std::int64_t planes,
                                       std::int64_t plane) {
    for (std::int64_t p = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; p < planes;
         p += std::int64_t(gridDim.x) * blockDim.x) {
        float sum = 0.0f;
        for (std::int64_t j = 0; j < plane; ++j)
            sum += x[p * plane + j];
        y[p] = sum / float(plane);
    }
}

__global__ void globalAvgBackwardKernel(const float* dy, float* dx, std::int64_t planes,
                                        std::int64_t plane) {
    const std::int64_t total = planes * plane;
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x)
        dx[i] += dy[i / plane] / float(plane);
}

PoolGeometry geometryOf(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& y = *call.output;
    return {x.dim(0) * x.dim(1), int(x.dim(2)), int(x.dim(3)), int(y.dim(2)), int(y.dim(3)),
            call.attrs->window};
}

} // namespace

Status pool2dForward(CudaContext& context, const OpCall& call) {
    const PoolGeometry g = geometryOf(call);
    const bool isMax = call.kind == OpKind::MaxPool2D;
    if (isMax) {
        if (std::int64_t(g.h) * g.w > (std::int64_t(1) << 24))
            return Status::error("MaxPool2D: maps larger than 16M cells are not supported");
        if (Status s = resizeState(context, *call.state, call.output->dims()); !s)
            return s;
    }
    const std::int64_t total = g.planes * g.oh * g.ow;
    poolForwardKernel<<<blocksFor(total), 256, 0, context.stream()>>>(
        g, isMax, call.inputs[0]->data(), call.output->data(),
        isMax ? call.state->data() : nullptr);
    return checkLaunch("pooling kernel");
}

Status pool2dBackward(CudaContext& context, const OpCall& call) {
    Tensor* dx = gradInput(call, 0);
    if (!dx)
        return Status::ok();
    const PoolGeometry g = geometryOf(call);
    const bool isMax = call.kind == OpKind::MaxPool2D;
    const std::int64_t total = g.planes * g.h * g.w;
    poolBackwardKernel<<<blocksFor(total), 256, 0, context.stream()>>>(
        g, isMax, call.gradOutput->data(), isMax ? call.state->data() : nullptr, dx->data());
    return checkLaunch("pooling gradient kernel");
}

Status globalAvgPool2dForward(CudaContext& context, const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const std::int64_t planes = x.dim(0) * x.dim(1), plane = x.dim(2) * x.dim(3);
    globalAvgForwardKernel<<<blocksFor(planes), 256, 0, context.stream()>>>(
        x.data(), call.output->data(), planes, plane);
    return checkLaunch("global average pooling kernel");
}

Status globalAvgPool2dBackward(CudaContext& context, const OpCall& call) {
    Tensor* dx = gradInput(call, 0);
    if (!dx)
        return Status::ok();
    const Tensor& x = *call.inputs[0];
    const std::int64_t planes = x.dim(0) * x.dim(1), plane = x.dim(2) * x.dim(3);
    globalAvgBackwardKernel<<<blocksFor(planes * plane), 256, 0, context.stream()>>>(
        call.gradOutput->data(), dx->data(), planes, plane);
    return checkLaunch("global average pooling gradient kernel");
}

} // namespace nc::engine::cuda
