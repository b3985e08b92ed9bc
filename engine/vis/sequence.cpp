#include "sequence.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace nc::vis {

SequenceScale sequenceScale(std::int64_t steps, std::int64_t units) {
    auto fit = [](std::int64_t cells, int target, int most) {
        return int(std::clamp<std::int64_t>(target / std::max<std::int64_t>(cells, 1), 1, most));
    };
    return {fit(steps, 480, 24), fit(units, 256, 12)};
}

cv::Mat renderSequence(const nc::engine::Tensor& value, const MapStyle& style,
                       SequenceScale scale) {
    CV_Assert(value.rank() == 2);
    const int steps = int(value.dim(0)), units = int(value.dim(1));
    // Time across: the transpose of the [T, F] values.
    cv::Mat transposed;
    cv::transpose(cv::Mat(steps, units, CV_32FC1, const_cast<float*>(value.data())), transposed);
    const cv::Mat unit =
        normaliseMaps(transposed.ptr<float>(), 1, units, steps, false, style.zeroCentred)[0];
    cv::Mat picture;
    cv::resize(colorize(unit, style.colormap), picture, cv::Size(), scale.x, scale.y,
               cv::INTER_NEAREST);
    return picture;
}

} // namespace nc::vis
