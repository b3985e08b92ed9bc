// synthetic:shapes: RGB 3x64x64 pictures for the cats-and-dogs-style network. Class 0
// ("cats") shows round things: ellipses of random size, colour and tilt; class 1 ("dogs")
// angular ones: triangles and quadrilaterals. Each picture has a textured background and a
// smaller distractor of the other kind, so colour or size alone does not tell the classes
// apart. Image i depends only on (seed, i); labels alternate.

#include "loaders.h"

#include "syntheticset.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

namespace nc::engine {

namespace {

constexpr int kSide = int(kSyntheticShapeSide);

cv::Scalar randomColour(SplitMix& r) {
    return cv::Scalar(between(r, 0.0, 1.0), between(r, 0.0, 1.0), between(r, 0.0, 1.0));
}

void drawRound(cv::Mat& image, SplitMix& r, double size, cv::Point centre) {
    cv::Size axes(int(size * between(r, 0.6, 1.0)), int(size * between(r, 0.6, 1.0)));
    cv::ellipse(image, centre, axes, between(r, 0, 180), 0, 360, randomColour(r), cv::FILLED,
                cv::LINE_AA);
}

void drawAngular(cv::Mat& image, SplitMix& r, double size, cv::Point centre) {
    const int corners = r.uniform() < 0.5 ? 3 : 4;
    const double turn = between(r, 0, 6.283);
    std::vector<cv::Point> points;
    for (int k = 0; k < corners; ++k) {
        const double a = turn + 6.283 * k / corners + between(r, -0.25, 0.25);
        const double radius = size * between(r, 0.8, 1.15);
        points.emplace_back(centre.x + int(radius * std::cos(a)),
                            centre.y + int(radius * std::sin(a)));
    }
    cv::fillConvexPoly(image, points, randomColour(r), cv::LINE_AA);
}

void drawPicture(int label, SplitMix& r, float* out) {
    cv::Mat image(kSide, kSide, CV_32FC3);
    const cv::Vec3f a(float(between(r, 0.0, 1.0)), float(between(r, 0.0, 1.0)),
                      float(between(r, 0.0, 1.0)));
    const cv::Vec3f b(float(between(r, 0.0, 1.0)), float(between(r, 0.0, 1.0)),
                      float(between(r, 0.0, 1.0)));
    for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x) {
            const float t = float(x + y) / float(2 * kSide);
            image.at<cv::Vec3f>(y, x) = a * (1 - t) + b * t;
        }
    auto place = [&](double margin) {
        return cv::Point(int(between(r, margin, kSide - margin)),
                         int(between(r, margin, kSide - margin)));
    };
    const double distractor = between(r, 4, 8);
    (label == 0 ? drawAngular : drawRound)(image, r, distractor, place(distractor));
    const double size = between(r, 10, 20);
    (label == 0 ? drawRound : drawAngular)(image, r, size, place(size * 0.8));
    for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x)
            for (int c = 0; c < 3; ++c) {
                float v = image.at<cv::Vec3f>(y, x)[c] + float(0.04 * r.normal());
                out[(c * kSide + y) * kSide + x] = std::min(1.0f, std::max(0.0f, v));
            }
}

} // namespace

Result<Dataset> makeSyntheticShapes(std::int64_t first, std::int64_t count, std::uint64_t seed) {
    return makeSyntheticSet("synthetic:shapes", 2, {3, kSide, kSide}, first, count, seed, 0x5ba9e,
                            drawPicture);
}

} // namespace nc::engine
