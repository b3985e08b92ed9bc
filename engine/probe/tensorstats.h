#pragma once
// What a probe reports about a tensor at a glance: range, mean, spread, the share of exact
// zeros (dead ReLUs), the share saturated (for tanh or sigmoid outputs) and NaN/Inf count.
//
//   TensorStats s = tensorStats(value, saturationBandOf(model, edge));

#include "../tensor.h"

#include <cstdint>
#include <optional>

namespace nc::engine {

class Model;
struct EdgeRef;

// Values at or beyond these count as saturated (tanh: |v| >= 0.99; sigmoid: <= 0.01, >= 0.99).
struct SaturationBand {
    float low = -0.99f;
    float high = 0.99f;
};

struct TensorStats {
    std::int64_t count = 0;     // elements
    std::int64_t nonFinite = 0; // NaN or Inf; the rest of the figures leave them out
    double min = 0, max = 0, mean = 0, stddev = 0;
    double zeroShare = 0;                 // of the finite values
    std::optional<double> saturatedShare; // only with a band
};

TensorStats tensorStats(const float* data, std::int64_t count,
                        std::optional<SaturationBand> band = std::nullopt);
inline TensorStats tensorStats(const Tensor& t, std::optional<SaturationBand> band = std::nullopt) {
    return tensorStats(t.data(), t.size(), band);
}

// The band of the edge's activation when it ends in tanh or sigmoid (an Activation node, or
// a Conv2D, Deconv2D or Dense with that activation); none otherwise.
std::optional<SaturationBand> saturationBandOf(const Model& model, const EdgeRef& edge);

} // namespace nc::engine
