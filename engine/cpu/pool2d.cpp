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

// The most common max pooling, 2x2 windows at stride 2 that all lie inside the image, as a
// loop the compiler vectorises: the same winners as the general loop below (the first cell
// of the largest value; NaN never wins).
bool isPlain2x2(const Window& w, const PoolShape& s) {
    return w.kh == 2 && w.kw == 2 && w.sh == 2 && w.sw == 2 && w.padTop == 0 && w.padLeft == 0 &&
           2 * s.oh <= s.h && 2 * s.ow <= s.w;
}

void maxPool2x2Plane(const float* in, float* out, float* arg, const PoolShape& s) {
    const float lowest = -std::numeric_limits<float>::infinity();
    for (int oy = 0; oy < s.oh; ++oy) {
        const float* top = in + 2 * oy * s.w;
        const float* bottom = top + s.w;
        float* o = out + oy * s.ow;
        float* a = arg + oy * s.ow;
        const int rowFirst = 2 * oy * s.w;
        // Selects, not branches (a mispredicted branch per window cost more than the rest),
        // over independent windows, so that the loop vectorises.
#pragma omp simd
        for (int ox = 0; ox < s.ow; ++ox) {
            const float c0 = top[2 * ox], c1 = top[2 * ox + 1];
            const float c2 = bottom[2 * ox], c3 = bottom[2 * ox + 1];
            float best = c0 > lowest ? c0 : lowest;
            int k = 0;
            bool better = c1 > best;
            best = better ? c1 : best;
            k = better ? 1 : k;
            better = c2 > best;
            best = better ? c2 : best;
            k = better ? 2 : k;
            better = c3 > best;
            best = better ? c3 : best;
            k = better ? 3 : k;
            o[ox] = best;
            a[ox] = float(rowFirst + 2 * ox + (k & 1) + (k >> 1) * s.w);
        }
    }
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
    const bool plain2x2 = isMax && isPlain2x2(win, s);
#pragma omp parallel for schedule(static)
    for (std::int64_t p = 0; p < s.planes; ++p) {
        const float* in = x.data() + p * s.h * s.w;
        float* out = y.data() + p * s.oh * s.ow;
        float* arg = isMax ? call.state->data() + p * s.oh * s.ow : nullptr;
        if (plain2x2) {
            maxPool2x2Plane(in, out, arg, s);
            continue;
        }
        for (int oy = 0; oy < s.oh; ++oy) {
            for (int ox = 0; ox < s.ow; ++ox) {
                Cells c = cellsOf(win, oy, ox, s.h, s.w);
                if (isMax) {
                    float best = -std::numeric_limits<float>::infinity();
                    int bestIndex = c.y0 * s.w + c.x0;
                    for (int iy = c.y0; iy < c.y1; ++iy)
                        for (int ix = c.x0; ix < c.x1; ++ix) {
                            const float v = in[iy * s.w + ix];
                            const bool better = v > best;
                            best = better ? v : best;
                            bestIndex = better ? iy * s.w + ix : bestIndex;
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
