#pragma once
// Pictures of one sample's tensor on an edge: a grid with a cell per feature map, one map
// enlarged, or a vector as a heat strip.
//
//   cv::Mat grid = renderFeatureMaps(sample, MapStyle{});    // sample: [C, H, W]

#include "mapgrid.h"

#include "engine/tensor.h"

#include <opencv2/core.hpp>

namespace nc::vis {

// value: [C, H, W] (or [H, W], one map); a leading batch axis of 1 is allowed.
cv::Mat renderFeatureMaps(const nc::engine::Tensor& value, const MapStyle& style);
// Channel `channel` alone, normalised as in the grid (a shared scale spans every map).
cv::Mat renderOneMap(const nc::engine::Tensor& value, int channel, const MapStyle& style);
// Any tensor as a vector: one cell per element in rows of `style.columns` (0: up to 32).
cv::Mat renderVectorStrip(const nc::engine::Tensor& value, const MapStyle& style);

// What a probe shows for an edge's value: every map in a grid, one map enlarged (channel
// >= 0), or a vector as a strip. The app and the CLI both draw through this.
cv::Mat renderEdgeValue(const nc::engine::Tensor& value, const MapStyle& style, int channel = -1);

// The per-sample dimensions as maps: channels, height, width (a vector is 1 x 1 x n).
struct MapShape {
    int channels = 1, height = 1, width = 1;
};
MapShape mapShapeOf(const nc::engine::Tensor& value);
// Where renderFeatureMaps puts each map: the map under a picture pixel, or -1.
int mapAtPixel(const MapShape& shape, const MapStyle& style, int x, int y);
// True when the tensor holds images (rank 2 or 3 per sample), not a vector.
bool hasMaps(const nc::engine::Tensor& value);

} // namespace nc::vis
