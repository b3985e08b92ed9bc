// Upscale2D on the CPU: nearest neighbour, or bilinear with PyTorch's align_corners=False
// sampling (source = (dst + 0.5) / scale - 0.5, clamped to the image).

#include "kernels.h"

#include <algorithm>
#include <cmath>

namespace nc::engine::cpu {

namespace {

struct Tap {
    int i0, i1;
    float weight1; // weight of i1; i0 gets 1 - weight1
};

Tap bilinearTap(int dst, int scale, int size) {
    float src = std::max((float(dst) + 0.5f) / float(scale) - 0.5f, 0.0f);
    int i0 = std::min(int(src), size - 1);
    int i1 = std::min(i0 + 1, size - 1);
    return {i0, i1, src - float(i0)};
}

struct UpscaleShape {
    std::int64_t planes;
    int h, w, oh, ow, sh, sw;
};

UpscaleShape upscaleShape(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& y = *call.output;
    return {x.dim(0) * x.dim(1), int(x.dim(2)),         int(x.dim(3)),        int(y.dim(2)),
            int(y.dim(3)),       call.attrs->window.sh, call.attrs->window.sw};
}

// Visits every (output cell, input cell, weight) contribution of one plane.
template <typename F> void forEachContribution(const UpscaleShape& s, bool bilinear, F&& visit) {
    for (int oy = 0; oy < s.oh; ++oy) {
        for (int ox = 0; ox < s.ow; ++ox) {
            const int o = oy * s.ow + ox;
            if (!bilinear) {
                visit(o, (oy / s.sh) * s.w + ox / s.sw, 1.0f);
                continue;
            }
            Tap ty = bilinearTap(oy, s.sh, s.h), tx = bilinearTap(ox, s.sw, s.w);
            visit(o, ty.i0 * s.w + tx.i0, (1 - ty.weight1) * (1 - tx.weight1));
            visit(o, ty.i0 * s.w + tx.i1, (1 - ty.weight1) * tx.weight1);
            visit(o, ty.i1 * s.w + tx.i0, ty.weight1 * (1 - tx.weight1));
            visit(o, ty.i1 * s.w + tx.i1, ty.weight1 * tx.weight1);
        }
    }
}

} // namespace

Status upscale2dForward(const OpCall& call) {
    const UpscaleShape s = upscaleShape(call);
    const bool bilinear = call.attrs->bilinear;
    const float* x = call.inputs[0]->data();
    float* y = call.output->data();
#pragma omp parallel for schedule(static)
    for (std::int64_t p = 0; p < s.planes; ++p) {
        const float* in = x + p * s.h * s.w;
        float* out = y + p * s.oh * s.ow;
        std::fill(out, out + s.oh * s.ow, 0.0f);
        forEachContribution(s, bilinear,
                            [&](int o, int i, float weight) { out[o] += weight * in[i]; });
    }
    return Status::ok();
}

Status upscale2dBackward(const OpCall& call) {
    if (call.gradInputs.empty() || !call.gradInputs[0])
        return Status::ok();
    const UpscaleShape s = upscaleShape(call);
    const bool bilinear = call.attrs->bilinear;
    const float* g = call.gradOutput->data();
    float* d = call.gradInputs[0]->data();
#pragma omp parallel for schedule(static)
    for (std::int64_t p = 0; p < s.planes; ++p) {
        const float* go = g + p * s.oh * s.ow;
        float* di = d + p * s.h * s.w;
        forEachContribution(s, bilinear,
                            [&](int o, int i, float weight) { di[i] += weight * go[o]; });
    }
    return Status::ok();
}

} // namespace nc::engine::cpu
