#pragma once
// Pictures of whole samples: an input as an image (values in [0, 1], gray or RGB), input and
// reconstruction pairs in a grid, and a heat map (saliency, Grad-CAM) laid over an input.
//
//   cv::Mat pairs = renderReconstructions(inputs, outputs, 4, 3);

#include "colormap.h"

#include "engine/tensor.h"

#include <opencv2/core.hpp>

namespace nc::vis {

// One sample [C, H, W] (C = 1 or 3, a leading batch axis of 1 allowed) as BGR, clamped to
// [0, 1]; other channel counts show their mean.
cv::Mat sampleImage(const float* chw, int channels, int h, int w);
cv::Mat sampleImage(const nc::engine::Tensor& sample);

// inputs, outputs: [N, C, H, W] of the same shape. Each input beside its output, `pairsPerRow`
// pairs to a row, every pixel `scale` times.
cv::Mat renderReconstructions(const nc::engine::Tensor& inputs, const nc::engine::Tensor& outputs,
                              int pairsPerRow, int scale);

// heat: [h, w] of any size, scaled up to the image (bilinear), normalised by its largest value,
// coloured and blended over the image: image * (1 - alpha) + colour * alpha.
cv::Mat overlayHeat(const cv::Mat& imageBgr, const nc::engine::Tensor& heat, Colormap map,
                    double alpha, int scale);

// A saliency or Grad-CAM map over one input sample [C, H, W], enlarged `scale` times (0: to
// about 256 pixels), half image, half heat.
cv::Mat renderEvidence(const nc::engine::Tensor& sample, const nc::engine::Tensor& heat,
                       Colormap map, int scale);

} // namespace nc::vis
