#include "confusionpicture.h"

#include "colormap.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace nc::vis {

namespace {

const cv::Scalar kPaper{255, 255, 255};
const cv::Scalar kInk{40, 40, 40};
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

void centredText(cv::Mat& image, const std::string& text, cv::Rect box, double size,
                 cv::Scalar colour) {
    int base = 0;
    const cv::Size t = cv::getTextSize(text, kFont, size, 1, &base);
    const cv::Point at(box.x + (box.width - t.width) / 2, box.y + (box.height + t.height) / 2);
    cv::putText(image, text, at, kFont, size, colour, 1, cv::LINE_AA);
}

} // namespace

cv::Mat renderConfusion(const std::vector<std::int64_t>& matrix, int classes,
                        const std::vector<std::string>& labels, int cellPixels) {
    CV_Assert(classes > 0 && matrix.size() == std::size_t(classes) * std::size_t(classes));
    const int cell = std::max(cellPixels, 16), margin = 3 * cell / 2 + 16;
    const double font = cell / 100.0;
    cv::Mat image(margin + classes * cell + 8, margin + classes * cell + 8, CV_8UC3, kPaper);
    auto label = [&](int c) {
        return std::size_t(c) < labels.size() ? labels[std::size_t(c)] : std::to_string(c);
    };
    cv::Mat unit(1, 1, CV_32FC1);
    for (int t = 0; t < classes; ++t) {
        std::int64_t row = 0;
        for (int p = 0; p < classes; ++p)
            row += matrix[std::size_t(t * classes + p)];
        for (int p = 0; p < classes; ++p) {
            const std::int64_t count = matrix[std::size_t(t * classes + p)];
            unit.at<float>(0) = row > 0 ? float(double(count) / double(row)) : 0.0f;
            const cv::Vec3b c = colorize(unit, Colormap::Viridis).at<cv::Vec3b>(0);
            const cv::Rect box(margin + p * cell, margin + t * cell, cell, cell);
            cv::rectangle(image, box, cv::Scalar(c[0], c[1], c[2]), cv::FILLED);
            const bool light = unit.at<float>(0) > 0.6f;
            centredText(image, std::to_string(count), box, font, light ? kInk : kPaper);
        }
        centredText(image, label(t), cv::Rect(margin - cell, margin + t * cell, cell, cell), font,
                    kInk);
        centredText(image, label(t), cv::Rect(margin + t * cell, margin - cell, cell, cell), font,
                    kInk);
    }
    cv::putText(image, "predicted", cv::Point(margin, 14), kFont, 0.45, kInk, 1, cv::LINE_AA);
    cv::Mat side(14 + 4, 80, CV_8UC3, kPaper);
    cv::putText(side, "true", cv::Point(2, 14), kFont, 0.45, kInk, 1, cv::LINE_AA);
    cv::rotate(side, side, cv::ROTATE_90_COUNTERCLOCKWISE);
    side.copyTo(image(cv::Rect(0, margin, side.cols, side.rows)));
    return image;
}

} // namespace nc::vis
