#include "tensorstats.h"

#include "edgeref.h"

#include "../model.h"

#include <algorithm>
#include <cmath>

namespace nc::engine {

TensorStats tensorStats(const float* data, std::int64_t count, std::optional<SaturationBand> band) {
    TensorStats s;
    s.count = count;
    double sum = 0, squares = 0;
    std::int64_t finite = 0, zeros = 0, saturated = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (std::int64_t i = 0; i < count; ++i) {
        const float v = data[i];
        if (!std::isfinite(v)) {
            ++s.nonFinite;
            continue;
        }
        ++finite;
        lo = std::min(lo, double(v));
        hi = std::max(hi, double(v));
        sum += v;
        squares += double(v) * v;
        zeros += v == 0.0f;
        if (band)
            saturated += v <= band->low || v >= band->high;
    }
    if (finite == 0)
        return s;
    s.min = lo;
    s.max = hi;
    s.mean = sum / double(finite);
    s.stddev = std::sqrt(std::max(0.0, squares / double(finite) - s.mean * s.mean));
    s.zeroShare = double(zeros) / double(finite);
    if (band)
        s.saturatedShare = double(saturated) / double(finite);
    return s;
}

std::optional<SaturationBand> saturationBandOf(const Model& model, const EdgeRef& edge) {
    const PlanStep* step = model.stepOf(edge.node);
    if (!step)
        return std::nullopt;
    switch (step->kind) {
    case OpKind::Activation:
    case OpKind::Conv2D:
    case OpKind::Deconv2D:
    case OpKind::Dense:
        break;
    default:
        return std::nullopt;
    }
    if (step->attrs.activation == ActivationKind::Tanh)
        return SaturationBand{-0.99f, 0.99f};
    if (step->attrs.activation == ActivationKind::Sigmoid)
        return SaturationBand{0.01f, 0.99f};
    return std::nullopt;
}

} // namespace nc::engine
