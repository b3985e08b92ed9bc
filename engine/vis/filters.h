#pragma once
// Learned weights as pictures, one cell per filter:
// - Conv2D [out, in, kh, kw] and Deconv2D [in, out, kh, kw]: a cell per first-axis filter.
//   With 3 channels (an RGB first layer) a cell is a colour image; otherwise it shows one
//   chosen channel, or the mean over channels.
// - Dense [out, in] fed by an image [C, H, W]: each row reshaped into that image.
//
//   Result<cv::Mat> tiles = renderFilters(weight, {.channel = -1}, {});

#include "mapgrid.h"

#include "core/status.h"
#include "engine/tensor.h"

#include <opencv2/core.hpp>

namespace nc::vis {

struct FilterStyle {
    MapStyle map{Colormap::Gray, false, true, 0, 2, 0}; // per filter, zero in the middle
    int channel = -1;   // which input channel; -1: the mean (or colour, for 3 channels)
    bool colour = true; // 3-channel filters as colour images
};

// `denseInput`: the per-sample shape feeding a Dense layer ([C, H, W] or [H, W]); ignored for
// 4-D weights. Errors name what cannot be drawn.
nc::core::Result<cv::Mat> renderFilters(const nc::engine::Tensor& weight, const FilterStyle& style,
                                        const nc::engine::Dims& denseInput = {});

// The cells' channel count (3 for colour cells).
int filterChannels(const nc::engine::Tensor& weight, const nc::engine::Dims& denseInput = {});

} // namespace nc::vis
