#include "featuremaps.h"

#include <algorithm>

namespace nc::vis {

using nc::engine::Tensor;

namespace {

// Per-sample dimensions: drops a leading batch axis of 1 when more axes follow.
nc::engine::Dims perSample(const Tensor& value) {
    nc::engine::Dims d = value.dims();
    if (d.size() >= 2 && d[0] == 1 && d.size() != 2)
        d.erase(d.begin());
    return d;
}

} // namespace

MapShape mapShapeOf(const Tensor& value) {
    const nc::engine::Dims d = perSample(value);
    if (d.size() == 3)
        return {int(d[0]), int(d[1]), int(d[2])};
    if (d.size() == 2)
        return {1, int(d[0]), int(d[1])};
    return {1, 1, int(value.size())};
}

bool hasMaps(const Tensor& value) {
    const std::size_t rank = perSample(value).size();
    return rank == 2 || rank == 3;
}

namespace {

struct GridCells {
    int scale = 1, columns = 1;
};

GridCells gridCells(const MapShape& s, const MapStyle& style) {
    return {style.scale > 0 ? style.scale : autoScale(s.height, s.width),
            style.columns > 0 ? style.columns : gridColumns(s.channels)};
}

} // namespace

int mapAtPixel(const MapShape& shape, const MapStyle& style, int x, int y) {
    const GridCells g = gridCells(shape, style);
    const int cw = shape.width * g.scale + style.gap, ch = shape.height * g.scale + style.gap;
    if (x < style.gap || y < style.gap)
        return -1;
    const int column = (x - style.gap) / cw, row = (y - style.gap) / ch;
    if ((x - style.gap) % cw >= cw - style.gap || (y - style.gap) % ch >= ch - style.gap)
        return -1; // on a gap
    const int columns = std::min(g.columns, shape.channels);
    if (column >= columns)
        return -1;
    const int map = row * columns + column;
    return map < shape.channels ? map : -1;
}

cv::Mat renderFeatureMaps(const Tensor& value, const MapStyle& style) {
    const MapShape s = mapShapeOf(value);
    const auto unit = normaliseMaps(value.data(), s.channels, s.height, s.width, style.sharedScale,
                                    style.zeroCentred);
    std::vector<cv::Mat> cells;
    cells.reserve(unit.size());
    for (const cv::Mat& m : unit)
        cells.push_back(colorize(m, style.colormap));
    const GridCells g = gridCells(s, style);
    return tileGrid(cells, g.scale, style.gap, g.columns);
}

cv::Mat renderOneMap(const Tensor& value, int channel, const MapStyle& style) {
    const MapShape s = mapShapeOf(value);
    channel = std::clamp(channel, 0, s.channels - 1);
    const auto unit = normaliseMaps(value.data(), s.channels, s.height, s.width, style.sharedScale,
                                    style.zeroCentred);
    const int scale = style.scale > 0 ? style.scale : autoScale(s.height, s.width);
    return tileGrid({colorize(unit[std::size_t(channel)], style.colormap)}, scale, 0, 1);
}

cv::Mat renderVectorStrip(const Tensor& value, const MapStyle& style) {
    const int n = int(value.size());
    const int columns = std::max(1, style.columns > 0 ? style.columns : std::min(n, 32));
    const auto unit = normaliseMaps(value.data(), 1, 1, n, false, style.zeroCentred);
    cv::Mat colours = colorize(unit[0], style.colormap);
    std::vector<cv::Mat> cells;
    cells.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i)
        cells.push_back(colours(cv::Rect(i, 0, 1, 1)).clone());
    const int scale = style.scale > 0 ? style.scale : 16;
    return tileGrid(cells, scale, style.gap > 0 ? 1 : 0, columns);
}

cv::Mat renderEdgeValue(const Tensor& value, const MapStyle& style, int channel) {
    if (!hasMaps(value))
        return renderVectorStrip(value, style);
    return channel >= 0 ? renderOneMap(value, channel, style) : renderFeatureMaps(value, style);
}

} // namespace nc::vis
