#include "filters.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace nc::vis {

using nc::core::Result;
using nc::core::Status;
using nc::engine::Dims;
using nc::engine::Tensor;

namespace {

struct FilterLayout {
    int count = 0, channels = 0, h = 0, w = 0;
};

Result<FilterLayout> layoutOf(const Tensor& weight, const Dims& denseInput) {
    if (weight.rank() == 4)
        return FilterLayout{int(weight.dim(0)), int(weight.dim(1)), int(weight.dim(2)),
                            int(weight.dim(3))};
    if (weight.rank() != 2)
        return Status::error("weights of shape " + nc::engine::formatDims(weight.dims()) +
                             " are not filters");
    Dims image = denseInput;
    if (image.size() == 2)
        image.insert(image.begin(), 1);
    if (image.size() != 3 || image[0] * image[1] * image[2] != weight.dim(1))
        return Status::error("a Dense layer's rows show as images only when an image feeds it");
    return FilterLayout{int(weight.dim(0)), int(image[0]), int(image[1]), int(image[2])};
}

// The mean over channels of each filter, or one channel: count maps of h x w.
std::vector<float> planes(const Tensor& weight, const FilterLayout& f, int channel) {
    const std::int64_t area = std::int64_t(f.h) * f.w;
    std::vector<float> out(std::size_t(f.count * area), 0.0f);
    for (int k = 0; k < f.count; ++k) {
        const float* filter = weight.data() + std::int64_t(k) * f.channels * area;
        float* dst = out.data() + k * area;
        if (channel >= 0) {
            std::copy_n(filter + channel * area, area, dst);
            continue;
        }
        for (int c = 0; c < f.channels; ++c)
            for (std::int64_t i = 0; i < area; ++i)
                dst[i] += filter[c * area + i] / float(f.channels);
    }
    return out;
}

// A colour cell per filter (channels read as R, G, B), each scaled on its own or all together.
std::vector<cv::Mat> colourCells(const Tensor& weight, const FilterLayout& f, const MapStyle& s) {
    const std::int64_t area = std::int64_t(f.h) * f.w, size = 3 * area;
    auto bound = [&](const float* v, std::int64_t n) {
        float b = 0;
        for (std::int64_t i = 0; i < n; ++i)
            if (std::isfinite(v[i]))
                b = std::max(b, std::abs(v[i]));
        return b;
    };
    const float shared = bound(weight.data(), size * f.count);
    std::vector<cv::Mat> cells;
    for (int k = 0; k < f.count; ++k) {
        const float* filter = weight.data() + k * size;
        const float b = s.sharedScale ? shared : bound(filter, size);
        std::vector<cv::Mat> bgr;
        for (int c = 2; c >= 0; --c) {
            cv::Mat unit(f.h, f.w, CV_32FC1);
            for (std::int64_t i = 0; i < area; ++i)
                unit.ptr<float>()[i] = b > 0 ? 0.5f + 0.5f * filter[c * area + i] / b : 0.5f;
            cv::Mat bytes;
            unit.convertTo(bytes, CV_8U, 255.0);
            bgr.push_back(bytes);
        }
        cv::Mat cell;
        cv::merge(bgr, cell);
        cells.push_back(cell);
    }
    return cells;
}

} // namespace

int filterChannels(const Tensor& weight, const Dims& denseInput) {
    auto f = layoutOf(weight, denseInput);
    return f ? f.value().channels : 0;
}

Result<cv::Mat> renderFilters(const Tensor& weight, const FilterStyle& style,
                              const Dims& denseInput) {
    auto layout = layoutOf(weight, denseInput);
    if (!layout)
        return layout.status();
    const FilterLayout& f = layout.value();
    if (style.channel >= f.channels)
        return Status::error("channel " + std::to_string(style.channel) + " is out of range (" +
                             std::to_string(f.channels) + " channels)");
    const MapStyle& s = style.map;
    std::vector<cv::Mat> cells;
    if (style.colour && style.channel < 0 && f.channels == 3) {
        cells = colourCells(weight, f, s);
    } else {
        const std::vector<float> maps = planes(weight, f, style.channel);
        for (const cv::Mat& unit :
             normaliseMaps(maps.data(), f.count, f.h, f.w, s.sharedScale, s.zeroCentred))
            cells.push_back(colorize(unit, s.colormap));
    }
    const int scale = s.scale > 0 ? s.scale : std::clamp(48 / std::max(f.h, f.w), 1, 16);
    return tileGrid(cells, scale, s.gap, s.columns > 0 ? s.columns : gridColumns(f.count));
}

} // namespace nc::vis
