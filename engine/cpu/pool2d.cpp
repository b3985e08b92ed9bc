// MaxPool2D and AvgPool2D on the CPU. Max pooling remembers the winning position of each
// window (as a float index into its plane) for the backward pass; average pooling divides by
// the number of cells inside the image ("same" padding adds no zeros to the mean).

#include "kernels.h"

#include <cmath>
#include <limits>

namespace nc::engine::cpu {

namespace {

struct PoolShape {
    std::int64_t planes; // N*C
    int h, w, oh, ow;
};

PoolShape poolShape(const Tensor& x, const Tensor& y) {
    return {x.dim(0) * x.dim(1), int(x.dim(2)), int(x.dim(3)), int(y.dim(2)), int(y.dim(3))};
}

// The window of output cell (oy, ox), clipped to the image.
struct Cells {
    int y0, y1, x0, x1;
};

Cells cellsOf(const Window& w, int oy, int ox, int h, int width) {
    int y0 = oy * w.sh - w.padTop, x0 = ox * w.sw - w.padLeft;
    return {std::max(y0, 0), std::min(y0 + w.kh, h), std::max(x0, 0), std::min(x0 + w.kw, width)};
}

} // namespace

Status pool2dForward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    Tensor& y = *call.output;
    const Window& win = call.attrs->window;
    const PoolShape s = poolShape(x, y);
    const bool isMax = call.kind == OpKind::MaxPool2D;
    if (isMax) {
        if (std::int64_t(s.h) * s.w > (std::int64_t(1) << 24))
            return Status::error("MaxPool2D: maps larger than 16M cells are not supported");
        call.state->resize(y.dims());
    }
#pragma omp parallel for schedule(static)
    for (std::int64_t p = 0; p < s.planes; ++p) {
        const float* in = x.data() + p * s.h * s.w;
        float* out = y.data() + p * s.oh * s.ow;
        float* arg = isMax ? call.state->data() + p * s.oh * s.ow : nullptr;
        for (int oy = 0; oy < s.oh; ++oy) {
            for (int ox = 0; ox < s.ow; ++ox) {
                Cells c = cellsOf(win, oy, ox, s.h, s.w);
                if (isMax) {
                    float best = -std::numeric_limits<float>::infinity();
                    int bestIndex = c.y0 * s.w + c.x0;
                    for (int iy = c.y0; iy < c.y1; ++iy)
                        for (int ix = c.x0; ix < c.x1; ++ix)
                            if (in[iy * s.w + ix] > best) {
                                best = in[iy * s.w + ix];
                                bestIndex = iy * s.w + ix;
                            }
                    out[oy * s.ow + ox] = best;
                    arg[oy * s.ow + ox] = float(bestIndex);
                } else {
                    float sum = 0.0f;
                    for (int iy = c.y0; iy < c.y1; ++iy)
                        for (int ix = c.x0; ix < c.x1; ++ix)
                            sum += in[iy * s.w + ix];
                    int count = std::max(1, (c.y1 - c.y0) * (c.x1 - c.x0));
                    out[oy * s.ow + ox] = sum / float(count);
                }
            }
        }
    }
    return Status::ok();
}

Status pool2dBackward(const OpCall& call) {
    if (call.gradInputs.empty() || !call.gradInputs[0])
        return Status::ok();
    const Tensor& x = *call.inputs[0];
    const Tensor& dy = *call.gradOutput;
    Tensor& dx = *call.gradInputs[0];
    const Window& win = call.attrs->window;
    const PoolShape s = poolShape(x, *call.output);
    const bool isMax = call.kind == OpKind::MaxPool2D;
#pragma omp parallel for schedule(static)
    for (std::int64_t p = 0; p < s.planes; ++p) {
        const float* g = dy.data() + p * s.oh * s.ow;
        float* d = dx.data() + p * s.h * s.w;
        const float* arg = isMax ? call.state->data() + p * s.oh * s.ow : nullptr;
        for (int oy = 0; oy < s.oh; ++oy) {
            for (int ox = 0; ox < s.ow; ++ox) {
                const float grad = g[oy * s.ow + ox];
                if (isMax) {
                    d[int(arg[oy * s.ow + ox])] += grad;
                    continue;
                }
                Cells c = cellsOf(win, oy, ox, s.h, s.w);
                float share = grad / float(std::max(1, (c.y1 - c.y0) * (c.x1 - c.x0)));
                for (int iy = c.y0; iy < c.y1; ++iy)
                    for (int ix = c.x0; ix < c.x1; ++ix)
                        d[iy * s.w + ix] += share;
            }
        }
    }
    return Status::ok();
}

Status globalAvgPool2dForward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const std::int64_t planes = x.dim(0) * x.dim(1), plane = x.dim(2) * x.dim(3);
    float* out = call.output->data();
#pragma omp parallel for schedule(static)
    for (std::int64_t p = 0; p < planes; ++p) {
        const float* in = x.data() + p * plane;
        float sum = 0.0f;
        for (std::int64_t i = 0; i < plane; ++i)
            sum += in[i];
        out[p] = sum / float(plane);
    }
    return Status::ok();
}

Status globalAvgPool2dBackward(const OpCall& call) {
    if (call.gradInputs.empty() || !call.gradInputs[0])
        return Status::ok();
    const Tensor& x = *call.inputs[0];
    const std::int64_t planes = x.dim(0) * x.dim(1), plane = x.dim(2) * x.dim(3);
    const float* g = call.gradOutput->data();
    float* d = call.gradInputs[0]->data();
#pragma omp parallel for schedule(static)
    for (std::int64_t p = 0; p < planes; ++p)
        for (std::int64_t i = 0; i < plane; ++i)
            d[p * plane + i] += g[p] / float(plane);
    return Status::ok();
}

} // namespace nc::engine::cpu
