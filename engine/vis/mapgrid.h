#pragma once
// The building blocks every picture shares: a style, 2-D maps scaled into [0, 1] (each on
// its own, or all on one scale; optionally centred on zero), and cells tiled into a grid.
//
//   std::vector<cv::Mat> unit = normaliseMaps(data, 32, 24, 24, style);
//   cv::Mat grid = tileGrid(colourCells, style);

#include "colormap.h"

#include <opencv2/core.hpp>

#include <vector>

namespace nc::vis {

struct MapStyle {
    Colormap colormap = Colormap::Viridis;
    bool sharedScale = false; // one range for every map, so their magnitudes compare
    bool zeroCentred = false; // zero in the middle, scaled by the largest |value|
    int scale = 0;            // pixels per value; 0: chosen from the map size
    int gap = 2;              // pixels between cells
    int columns = 0;          // cells per row; 0: about square
};

// `count` maps of h x w floats laid end to end. Each result is CV_32FC1 in [0, 1]; NaN and
// Inf become NaN (drawn magenta), and a constant map is drawn at the middle (0.5).
std::vector<cv::Mat> normaliseMaps(const float* data, int count, int h, int w, bool sharedScale,
                                   bool zeroCentred);

// Pixels per value so that a map is drawn about 48 to 96 pixels wide.
int autoScale(int h, int w);
// Same-sized CV_8UC3 cells, each enlarged `scale` times (nearest), in rows of `columns`.
cv::Mat tileGrid(const std::vector<cv::Mat>& cells, int scale, int gap, int columns);
// Columns for an about square grid of `count` cells.
int gridColumns(int count);

inline const cv::Scalar kGridBackground{48, 48, 48};

} // namespace nc::vis
