#include "matimage.h"

#include <opencv2/core.hpp>

#include <cstring>

namespace nc::ui {

QImage toQImage(const cv::Mat& bgr) {
    CV_Assert(bgr.type() == CV_8UC3);
    QImage image(bgr.cols, bgr.rows, QImage::Format_BGR888);
    for (int y = 0; y < bgr.rows; ++y)
        std::memcpy(image.scanLine(y), bgr.ptr(y), std::size_t(bgr.cols) * 3);
    return image;
}

} // namespace nc::ui
