#include "colormap.h"

#include <opencv2/imgproc.hpp>

#include <array>

namespace nc::vis {

namespace {

// A 256-entry BGR table from blue (0) through white (0.5) to red (1).
const cv::Mat& divergingTable() {
    static const cv::Mat table = [] {
        cv::Mat t(256, 1, CV_8UC3);
        const cv::Vec3d blue{172, 102, 33}, white{247, 247, 247}, red{43, 24, 178};
        for (int i = 0; i < 256; ++i) {
            const double f = i / 255.0;
            const cv::Vec3d c =
                f < 0.5 ? blue + (white - blue) * (f * 2) : white + (red - white) * ((f - 0.5) * 2);
            t.at<cv::Vec3b>(i) =
                cv::Vec3b(cv::saturate_cast<uchar>(c[0]), cv::saturate_cast<uchar>(c[1]),
                          cv::saturate_cast<uchar>(c[2]));
        }
        return t;
    }();
    return table;
}

// OpenCV's named colormaps as 256-entry tables: applyColorMap(src, dst, COLORMAP_...) builds
// its table anew on every call, which costs far more than mapping a small feature map.
cv::Mat namedTable(int colormap) {
    cv::Mat ramp(256, 1, CV_8UC1);
    for (int i = 0; i < 256; ++i)
        ramp.at<uchar>(i) = uchar(i);
    cv::Mat table;
    cv::applyColorMap(ramp, table, colormap);
    return table;
}

const cv::Mat& tableOf(Colormap map) {
    static const cv::Mat viridis = namedTable(cv::COLORMAP_VIRIDIS);
    static const cv::Mat inferno = namedTable(cv::COLORMAP_INFERNO);
    return map == Colormap::Viridis   ? viridis
           : map == Colormap::Inferno ? inferno
                                      : divergingTable();
}

} // namespace

std::string_view colormapName(Colormap map) {
    switch (map) {
    case Colormap::Gray:
        return "gray";
    case Colormap::Viridis:
        return "viridis";
    case Colormap::Inferno:
        return "inferno";
    case Colormap::Diverging:
        return "diverging";
    }
    return "gray";
}

const std::vector<Colormap>& allColormaps() {
    static const std::vector<Colormap> maps{Colormap::Gray, Colormap::Viridis, Colormap::Inferno,
                                            Colormap::Diverging};
    return maps;
}

std::optional<Colormap> parseColormap(std::string_view name) {
    for (Colormap m : allColormaps())
        if (colormapName(m) == name)
            return m;
    return std::nullopt;
}

cv::Mat colorize(const cv::Mat& unit, Colormap map) {
    CV_Assert(unit.type() == CV_32FC1);
    cv::Mat bytes;
    unit.convertTo(bytes, CV_8U, 255.0); // saturates: clamps to [0, 255]
    cv::Mat bgr;
    if (map == Colormap::Gray)
        cv::cvtColor(bytes, bgr, cv::COLOR_GRAY2BGR);
    else
        cv::applyColorMap(bytes, bgr, tableOf(map));
    cv::Mat nan;
    cv::compare(unit, unit, nan, cv::CMP_NE); // only NaN differs from itself
    bgr.setTo(cv::Scalar(kNonFiniteColour[0], kNonFiniteColour[1], kNonFiniteColour[2]), nan);
    return bgr;
}

} // namespace nc::vis
