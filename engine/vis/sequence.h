#pragma once
// One sample's sequence [T, F] (a recurrent layer's states over time, or any T x F input) as
// a heatmap with time across: one column per step, one row per unit or feature.
//
//   SequenceScale s = sequenceScale(28, 128);
//   cv::Mat picture = renderSequence(states, MapStyle{}, s);   // 128*s.y rows, 28*s.x columns

#include "mapgrid.h"

#include "engine/tensor.h"

#include <opencv2/core.hpp>

namespace nc::vis {

struct SequenceScale {
    int x = 1, y = 1; // pixels per step, pixels per unit
};

// Pixels per cell so that the picture is about 480 x 256, at least 1 and at most 24 (x) or 12
// (y) pixels per cell.
SequenceScale sequenceScale(std::int64_t steps, std::int64_t units);

// `value` is [T, F]; normalised like a map (style.zeroCentred, NaN magenta) and coloured.
cv::Mat renderSequence(const nc::engine::Tensor& value, const MapStyle& style, SequenceScale scale);

} // namespace nc::vis
