#include "imagefiles.h"

#include "core/atomicwrite.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>

namespace nc::vis {

using nc::core::Result;
using nc::core::Status;
using nc::engine::Dims;
using nc::engine::Tensor;

Result<Tensor> imageToSample(const cv::Mat& image, const Dims& perSample) {
    Dims d = perSample;
    if (d.size() == 2)
        d.insert(d.begin(), 1);
    if (d.size() != 3 || (d[0] != 1 && d[0] != 3) || d[1] < 1 || d[2] < 1)
        return Status::error("the Input takes " + nc::engine::formatDims(perSample) +
                             ", not images (1 or 3 channels, height, width)");
    cv::Mat converted;
    if (d[0] == 1 && image.channels() == 1)
        converted = image;
    else if (d[0] == 1)
        cv::cvtColor(image, converted, cv::COLOR_BGR2GRAY);
    else
        cv::cvtColor(image, converted,
                     image.channels() == 1 ? cv::COLOR_GRAY2RGB : cv::COLOR_BGR2RGB);
    const cv::Size size{int(d[2]), int(d[1])};
    const bool shrinking = converted.cols > size.width || converted.rows > size.height;
    cv::Mat resized;
    cv::resize(converted, resized, size, 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    Tensor x({1, d[0], d[1], d[2]});
    const std::int64_t area = d[1] * d[2];
    for (int y = 0; y < resized.rows; ++y) {
        const uchar* row = resized.ptr<uchar>(y);
        for (int xx = 0; xx < resized.cols; ++xx)
            for (int c = 0; c < int(d[0]); ++c)
                x[c * area + y * d[2] + xx] = float(row[xx * int(d[0]) + c]) / 255.0f;
    }
    return x;
}

Result<Tensor> readImageSample(const std::string& path, const Dims& perSample) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        return Status::ioError(path + ": no such file");
    cv::Mat image;
    try {
        image = cv::imread(path, cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        return Status::error(path + ": " + e.what());
    }
    if (image.empty())
        return Status::error(path + ": not an image OpenCV can read (or the file is missing)");
    auto sample = imageToSample(image, perSample);
    if (!sample)
        return Status::error(path + ": " + sample.message());
    return sample;
}

Status writePng(const std::string& path, const cv::Mat& image) {
    std::vector<uchar> bytes;
    try {
        if (!cv::imencode(".png", image, bytes))
            return Status::error(path + ": the picture could not be encoded as PNG");
    } catch (const cv::Exception& e) {
        return Status::error(path + ": " + e.what());
    }
    return nc::core::writeFileAtomically(
        path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

} // namespace nc::vis
