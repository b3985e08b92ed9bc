#include "mapgrid.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace nc::vis {

namespace {

struct Range {
    float lo = std::numeric_limits<float>::infinity();
    float hi = -std::numeric_limits<float>::infinity();
    void add(const float* v, std::int64_t n) {
        for (std::int64_t i = 0; i < n; ++i)
            if (std::isfinite(v[i])) {
                lo = std::min(lo, v[i]);
                hi = std::max(hi, v[i]);
            }
    }
};

cv::Mat toUnit(const float* v, int h, int w, Range r, bool zeroCentred) {
    cv::Mat unit(h, w, CV_32FC1);
    float* out = unit.ptr<float>();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const bool any = r.lo <= r.hi;
    const float bound = std::max(std::abs(r.lo), std::abs(r.hi));
    for (int i = 0; i < h * w; ++i) {
        if (!std::isfinite(v[i]))
            out[i] = nan;
        else if (!any)
            out[i] = 0.5f;
        else if (zeroCentred)
            out[i] = bound > 0 ? 0.5f + 0.5f * v[i] / bound : 0.5f;
        else
            out[i] = r.hi > r.lo ? (v[i] - r.lo) / (r.hi - r.lo) : 0.5f;
    }
    return unit;
}

} // namespace

std::vector<cv::Mat> normaliseMaps(const float* data, int count, int h, int w, bool sharedScale,
                                   bool zeroCentred) {
    const std::int64_t area = std::int64_t(h) * w;
    Range shared;
    if (sharedScale)
        shared.add(data, area * count);
    std::vector<cv::Mat> maps;
    maps.reserve(std::size_t(count));
    for (int i = 0; i < count; ++i) {
        const float* map = data + area * i;
        Range own = shared;
        if (!sharedScale)
            own.add(map, area);
        maps.push_back(toUnit(map, h, w, own, zeroCentred));
    }
    return maps;
}

int autoScale(int h, int w) {
    return std::clamp(64 / std::max({h, w, 1}), 1, 16);
}

int gridColumns(int count) {
    return std::max(1, int(std::ceil(std::sqrt(double(count)))));
}

cv::Mat tileGrid(const std::vector<cv::Mat>& cells, int scale, int gap, int columns) {
    if (cells.empty())
        return cv::Mat(1, 1, CV_8UC3, kGridBackground);
    const int cw = cells[0].cols * scale, ch = cells[0].rows * scale;
    columns = std::clamp(columns, 1, int(cells.size()));
    const int rows = (int(cells.size()) + columns - 1) / columns;
    cv::Mat grid(gap + rows * (ch + gap), gap + columns * (cw + gap), CV_8UC3, kGridBackground);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const int r = int(i) / columns, c = int(i) % columns;
        cv::Mat big;
        cv::resize(cells[i], big, cv::Size(cw, ch), 0, 0, cv::INTER_NEAREST);
        big.copyTo(grid(cv::Rect(gap + c * (cw + gap), gap + r * (ch + gap), cw, ch)));
    }
    return grid;
}

} // namespace nc::vis
