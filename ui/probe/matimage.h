#pragma once
// engine/vis pictures (cv::Mat, 8-bit BGR) as QImages, copied pixel for pixel, so the window
// shows exactly what netcanvas-cli writes.

#include <QImage>

namespace cv {
class Mat;
}

namespace nc::ui {

QImage toQImage(const cv::Mat& bgr);

} // namespace nc::ui
