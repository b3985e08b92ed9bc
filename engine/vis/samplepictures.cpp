#include "samplepictures.h"

#include "mapgrid.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace nc::vis {

using nc::engine::Tensor;

cv::Mat sampleImage(const float* chw, int channels, int h, int w) {
    const std::int64_t area = std::int64_t(h) * w;
    auto plane = [&](int c) {
        cv::Mat unit(h, w, CV_32FC1, const_cast<float*>(chw + c * area));
        cv::Mat bytes;
        unit.convertTo(bytes, CV_8U, 255.0);
        return bytes;
    };
    cv::Mat bgr;
    if (channels == 3) {
        cv::merge(std::vector<cv::Mat>{plane(2), plane(1), plane(0)}, bgr);
        return bgr;
    }
    cv::Mat mean(h, w, CV_32FC1, cv::Scalar(0));
    for (int c = 0; c < channels; ++c)
        mean += cv::Mat(h, w, CV_32FC1, const_cast<float*>(chw + c * area)) / double(channels);
    cv::Mat bytes;
    mean.convertTo(bytes, CV_8U, 255.0);
    cv::cvtColor(bytes, bgr, cv::COLOR_GRAY2BGR);
    return bgr;
}

cv::Mat sampleImage(const Tensor& sample) {
    nc::engine::Dims d = sample.dims();
    if (d.size() == 4 && d[0] == 1)
        d.erase(d.begin());
    if (d.size() == 2)
        return sampleImage(sample.data(), 1, int(d[0]), int(d[1]));
    CV_Assert(d.size() == 3);
    return sampleImage(sample.data(), int(d[0]), int(d[1]), int(d[2]));
}

cv::Mat renderReconstructions(const Tensor& inputs, const Tensor& outputs, int pairsPerRow,
                              int scale) {
    CV_Assert(inputs.rank() == 4 && inputs.dims() == outputs.dims());
    const int n = int(inputs.dim(0)), c = int(inputs.dim(1)), h = int(inputs.dim(2)),
              w = int(inputs.dim(3));
    const std::int64_t size = std::int64_t(c) * h * w;
    std::vector<cv::Mat> cells;
    for (int i = 0; i < n; ++i) {
        cv::Mat pair(h, 2 * w + 1, CV_8UC3, kGridBackground);
        sampleImage(inputs.data() + i * size, c, h, w).copyTo(pair(cv::Rect(0, 0, w, h)));
        sampleImage(outputs.data() + i * size, c, h, w).copyTo(pair(cv::Rect(w + 1, 0, w, h)));
        cells.push_back(pair);
    }
    return tileGrid(cells, std::max(scale, 1), 4, std::max(pairsPerRow, 1));
}

cv::Mat overlayHeat(const cv::Mat& imageBgr, const Tensor& heat, Colormap map, double alpha,
                    int scale) {
    const int h = int(heat.dim(0)), w = int(heat.dim(1));
    cv::Mat raw(h, w, CV_32FC1, const_cast<float*>(heat.data()));
    double lo = 0, hi = 0;
    cv::minMaxLoc(raw, &lo, &hi);
    cv::Mat unit =
        hi > 0 ? cv::Mat(cv::max(raw, 0.0) / hi) : cv::Mat(h, w, CV_32FC1, cv::Scalar(0));
    const cv::Size size(imageBgr.cols * scale, imageBgr.rows * scale);
    cv::Mat big, heatBig;
    cv::resize(imageBgr, big, size, 0, 0, cv::INTER_NEAREST);
    cv::resize(unit, heatBig, size, 0, 0, cv::INTER_LINEAR);
    cv::Mat blended;
    cv::addWeighted(big, 1.0 - alpha, colorize(heatBig, map), alpha, 0.0, blended);
    return blended;
}

cv::Mat renderEvidence(const Tensor& sample, const Tensor& heat, Colormap map, int scale) {
    const cv::Mat image = sampleImage(sample);
    if (scale <= 0)
        scale = std::clamp(256 / std::max(image.rows, image.cols), 1, 16);
    return overlayHeat(image, heat, map, 0.5, scale);
}

} // namespace nc::vis
