#pragma once
// Colormaps for the pictures of engine/vis: values in [0, 1] become BGR pixels. NaN pixels
// are drawn magenta, so a probe shows exactly where a tensor went bad.
//
//   cv::Mat bgr = colorize(unit, Colormap::Viridis);

#include <opencv2/core.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nc::vis {

enum class Colormap { Gray, Viridis, Inferno, Diverging };

// "gray", "viridis", "inferno", "diverging" (blue, white, red).
std::string_view colormapName(Colormap map);
std::optional<Colormap> parseColormap(std::string_view name);
const std::vector<Colormap>& allColormaps();

// unit: CV_32FC1, values clamped to [0, 1]. Result: CV_8UC3, BGR.
cv::Mat colorize(const cv::Mat& unit, Colormap map);

inline const cv::Vec3b kNonFiniteColour{255, 0, 255};

} // namespace nc::vis
