#pragma once
// Image files for probes: any image OpenCV reads, as one input sample of a model's shape,
// and pictures written as PNG atomically.
//
//   Result<Tensor> x = readImageSample("cat.jpg", {3, 64, 64});   // [1, 3, 64, 64] in [0, 1]

#include "core/status.h"
#include "engine/tensor.h"

#include <opencv2/core.hpp>

#include <string>

namespace nc::vis {

// perSample: [C, H, W] with C = 1 (read as gray) or 3 (RGB), or [H, W]. The image is resized
// to H x W (area averaging when shrinking) and scaled to [0, 1].
nc::core::Result<nc::engine::Tensor> readImageSample(const std::string& path,
                                                     const nc::engine::Dims& perSample);
// The same from an image already decoded (BGR or gray, 8-bit).
nc::core::Result<nc::engine::Tensor> imageToSample(const cv::Mat& image,
                                                   const nc::engine::Dims& perSample);
// PNG, written to a temporary file and renamed over `path`.
nc::core::Status writePng(const std::string& path, const cv::Mat& image);

} // namespace nc::vis
