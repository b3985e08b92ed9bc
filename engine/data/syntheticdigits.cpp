// synthetic:digits: hand-drawn-looking digits without a download. Each image is a digit in
// one of OpenCV's Hershey stroke fonts, drawn with a random stroke width, then bent by a
// random affine map and a smooth elastic displacement field, blurred a little, downscaled to
// 28x28 and given some noise. Image i depends only on (seed, i); labels cycle 0..9.

#include "loaders.h"

#include "syntheticset.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace nc::engine {

namespace {

constexpr int kCanvas = 56;
constexpr int kSide = int(kSyntheticDigitSide);

const int kFonts[] = {cv::FONT_HERSHEY_SIMPLEX,        cv::FONT_HERSHEY_DUPLEX,
                      cv::FONT_HERSHEY_COMPLEX,        cv::FONT_HERSHEY_SCRIPT_SIMPLEX,
                      cv::FONT_HERSHEY_SCRIPT_COMPLEX, cv::FONT_HERSHEY_PLAIN,
                      cv::FONT_HERSHEY_TRIPLEX};

void drawDigit(int digit, SplitMix& r, float* out) {
    cv::Mat canvas = cv::Mat::zeros(kCanvas, kCanvas, CV_32F);
    int font = kFonts[r.below(std::size(kFonts))];
    if (r.uniform() < 0.3)
        font |= cv::FONT_ITALIC;
    const double scale = between(r, 1.3, 1.8) * (font == cv::FONT_HERSHEY_PLAIN ? 2.2 : 1.0);
    const int thickness = int(between(r, 3.0, 7.0));
    const std::string text(1, char('0' + digit));
    int baseline = 0;
    cv::Size size = cv::getTextSize(text, font, scale, thickness, &baseline);
    cv::Point origin((kCanvas - size.width) / 2, (kCanvas + size.height) / 2);
    cv::putText(canvas, text, origin, font, scale, cv::Scalar(1.0), thickness, cv::LINE_AA);

    // A random affine map around the centre: rotation, scale, shear and a small shift.
    const double angle = between(r, -0.3, 0.3), zoom = between(r, 0.8, 1.1),
                 shear = between(r, -0.35, 0.35);
    const double c = std::cos(angle) * zoom, s = std::sin(angle) * zoom;
    cv::Matx23d affine(c, -s + shear, 0, s, c, 0);
    const double half = kCanvas / 2.0;
    affine(0, 2) = half - affine(0, 0) * half - affine(0, 1) * half + between(r, -3, 3);
    affine(1, 2) = half - affine(1, 0) * half - affine(1, 1) * half + between(r, -3, 3);
    cv::Mat bent;
    cv::warpAffine(canvas, bent, affine, canvas.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT);

    // A smooth elastic field: coarse random offsets, upsampled.
    cv::Mat coarseX(4, 4, CV_32F), coarseY(4, 4, CV_32F);
    const double strength = between(r, 1.0, 4.0);
    for (int i = 0; i < 16; ++i) {
        coarseX.at<float>(i) = float(between(r, -strength, strength));
        coarseY.at<float>(i) = float(between(r, -strength, strength));
    }
    cv::Mat fieldX, fieldY;
    cv::resize(coarseX, fieldX, canvas.size(), 0, 0, cv::INTER_CUBIC);
    cv::resize(coarseY, fieldY, canvas.size(), 0, 0, cv::INTER_CUBIC);
    for (int y = 0; y < kCanvas; ++y)
        for (int x = 0; x < kCanvas; ++x) {
            fieldX.at<float>(y, x) += float(x);
            fieldY.at<float>(y, x) += float(y);
        }
    cv::Mat warped;
    cv::remap(bent, warped, fieldX, fieldY, cv::INTER_LINEAR, cv::BORDER_CONSTANT);

    cv::Mat small;
    cv::resize(warped, small, cv::Size(kSide, kSide), 0, 0, cv::INTER_AREA);
    const double noise = between(r, 0.0, 0.08);
    for (int i = 0; i < kSide * kSide; ++i) {
        float v = small.at<float>(i);
        v += float(noise * r.normal());
        out[i] = std::clamp(v, 0.0f, 1.0f);
    }
}

} // namespace

Result<Dataset> makeSyntheticDigits(std::int64_t first, std::int64_t count, std::uint64_t seed) {
    return makeSyntheticSet("synthetic:digits", 10, {1, kSide, kSide}, first, count, seed, 0xd161,
                            drawDigit);
}

} // namespace nc::engine
