// engine/vis, the pictures shared by the app and netcanvas-cli: colormaps (NaN in magenta),
// normalisation, grid geometry and cell lookup, filters of every layout, images read as
// input samples, confusion and reconstruction pictures, and atomic PNG writes.

#include "engine/vis/colormap.h"
#include "engine/vis/confusionpicture.h"
#include "engine/vis/featuremaps.h"
#include "engine/vis/filters.h"
#include "engine/vis/imagefiles.h"
#include "engine/vis/mapgrid.h"
#include "engine/vis/samplepictures.h"
#include "engine/vis/sequence.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace nc::vis;
using nc::engine::Dims;
using nc::engine::Tensor;

namespace {

Tensor ramp(const Dims& dims, float scale = 1.0f) {
    Tensor t(dims);
    for (std::int64_t i = 0; i < t.size(); ++i)
        t[i] = float(i) * scale;
    return t;
}

} // namespace

class VisTest : public QObject {
    Q_OBJECT

private slots:
    void colormapsSpanTheirRange_data() {
        QTest::addColumn<int>("map");
        for (Colormap m : allColormaps())
            QTest::newRow(colormapName(m).data()) << int(m);
    }
    void colormapsSpanTheirRange() {
        QFETCH(int, map);
        cv::Mat unit(1, 3, CV_32FC1);
        unit.at<float>(0) = 0.0f;
        unit.at<float>(1) = 1.0f;
        unit.at<float>(2) = NAN;
        const cv::Mat bgr = colorize(unit, Colormap(map));
        QCOMPARE(bgr.type(), CV_8UC3);
        QVERIFY(bgr.at<cv::Vec3b>(0) != bgr.at<cv::Vec3b>(1));
        QCOMPARE(bgr.at<cv::Vec3b>(2), kNonFiniteColour);
        QCOMPARE(parseColormap(colormapName(Colormap(map))), std::optional(Colormap(map)));
    }

    void grayIsTheValue() {
        cv::Mat unit(1, 2, CV_32FC1);
        unit.at<float>(0) = 0.5f;
        unit.at<float>(1) = 2.0f; // clamped
        const cv::Mat bgr = colorize(unit, Colormap::Gray);
        QCOMPARE(bgr.at<cv::Vec3b>(0), cv::Vec3b(128, 128, 128));
        QCOMPARE(bgr.at<cv::Vec3b>(1), cv::Vec3b(255, 255, 255));
    }

    // The cached tables give OpenCV's own colormaps, every one of the 256 levels.
    void namedColormapsAreOpenCvs() {
        cv::Mat unit(1, 256, CV_32FC1), bytes(1, 256, CV_8UC1);
        for (int i = 0; i < 256; ++i) {
            unit.at<float>(i) = float(i) / 255.0f;
            bytes.at<uchar>(i) = uchar(i);
        }
        for (auto [map, named] : {std::pair{Colormap::Viridis, cv::COLORMAP_VIRIDIS},
                                  std::pair{Colormap::Inferno, cv::COLORMAP_INFERNO}}) {
            cv::Mat expected;
            cv::applyColorMap(bytes, expected, named);
            QCOMPARE(cv::norm(colorize(unit, map), expected, cv::NORM_INF), 0.0);
        }
    }

    void normalisation() {
        const float data[] = {0, 1, 2, 3, /**/ -4, 0, 4, 8};
        auto own = normaliseMaps(data, 2, 2, 2, false, false);
        QCOMPARE(own[0].at<float>(3), 1.0f);
        QCOMPARE(own[1].at<float>(0), 0.0f);
        QCOMPARE(own[1].at<float>(3), 1.0f);
        auto shared = normaliseMaps(data, 2, 2, 2, true, false);
        QCOMPARE(shared[0].at<float>(0), 4.0f / 12.0f);
        QCOMPARE(shared[1].at<float>(3), 1.0f);
        auto centred = normaliseMaps(data, 2, 2, 2, true, true);
        QCOMPARE(centred[1].at<float>(1), 0.5f); // zero in the middle
        QCOMPARE(centred[1].at<float>(3), 1.0f);
        QCOMPARE(centred[1].at<float>(0), 0.25f);
        const float flat[] = {3, 3, 3, 3};
        QCOMPARE(normaliseMaps(flat, 1, 2, 2, false, false)[0].at<float>(0), 0.5f);
        const float bad[] = {INFINITY, 1, 2, 3};
        QVERIFY(std::isnan(normaliseMaps(bad, 1, 2, 2, false, false)[0].at<float>(0)));
    }

    // Every pixel renderFeatureMaps draws for map k is found again as map k.
    void gridCellsMapBack() {
        const Tensor value = ramp({5, 3, 4});
        MapStyle style;
        style.scale = 3;
        const cv::Mat grid = renderFeatureMaps(value, style);
        const MapShape shape = mapShapeOf(value);
        const int columns = gridColumns(5); // 3
        QCOMPARE(grid.cols, style.gap + columns * (4 * 3 + style.gap));
        QCOMPARE(grid.rows, style.gap + 2 * (3 * 3 + style.gap));
        for (int k = 0; k < 5; ++k) {
            const int x = style.gap + (k % columns) * (12 + style.gap) + 5;
            const int y = style.gap + (k / columns) * (9 + style.gap) + 4;
            QCOMPARE(mapAtPixel(shape, style, x, y), k);
        }
        QCOMPARE(mapAtPixel(shape, style, 0, 0), -1);                         // the border
        QCOMPARE(mapAtPixel(shape, style, grid.cols - 3, grid.rows - 3), -1); // no sixth map
    }

    void vectorsAndMaps() {
        QVERIFY(hasMaps(ramp({2, 3, 3})));
        QVERIFY(!hasMaps(ramp({10})));
        QVERIFY(hasMaps(ramp({1, 2, 3, 3}))); // a batch of one
        const cv::Mat strip = renderEdgeValue(ramp({10}), MapStyle{});
        QCOMPARE(strip.cols, 1 + 10 * (16 + 1));
        const cv::Mat one = renderEdgeValue(ramp({2, 3, 3}), MapStyle{}, 1);
        QCOMPARE(one.cols, 3 * autoScale(3, 3));
    }

    // A [T, F] sequence is drawn with time across: the cell of (step t, unit u) has the colour
    // of that value, normalised over the whole sequence.
    void sequencesRunAcross() {
        const Tensor value = ramp({5, 3}); // value[t][u] = 3t + u
        const SequenceScale scale{4, 2};
        MapStyle style;
        style.colormap = Colormap::Gray;
        const cv::Mat picture = renderSequence(value, style, scale);
        QCOMPARE(picture.cols, 5 * 4);
        QCOMPARE(picture.rows, 3 * 2);
        for (int t = 0; t < 5; ++t)
            for (int u = 0; u < 3; ++u) {
                const float unit = float(3 * t + u) / 14.0f;
                const cv::Vec3b pixel = picture.at<cv::Vec3b>(u * 2 + 1, t * 4 + 3);
                QVERIFY(std::abs(int(pixel[0]) - int(unit * 255.0f + 0.5f)) <= 1);
            }
        const SequenceScale long_ = sequenceScale(1000, 512);
        QCOMPARE(long_.x, 1);
        QCOMPARE(long_.y, 1);
        const SequenceScale short_ = sequenceScale(10, 4);
        QCOMPARE(short_.x, 24);
        QCOMPARE(short_.y, 12);
    }

    void filterLayouts() {
        FilterStyle style;
        style.map.scale = 2;
        auto conv = renderFilters(ramp({8, 1, 5, 5}), style);
        QVERIFY(conv);
        QCOMPARE(conv.value().cols, style.map.gap + 3 * (10 + style.map.gap));
        // RGB filters are colour cells: the three channels differ.
        Tensor rgb({1, 3, 1, 1});
        rgb[0] = 1.0f; // red
        auto colour = renderFilters(rgb, style);
        QVERIFY(colour);
        const cv::Vec3b red = colour.value().at<cv::Vec3b>(style.map.gap, style.map.gap);
        QVERIFY(red[2] == 255 && red[0] == 128 && red[1] == 128);
        // Dense rows as the image that feeds them.
        auto dense = renderFilters(ramp({4, 2 * 3 * 3}), style, {2, 3, 3});
        QVERIFY(dense);
        QVERIFY(!renderFilters(ramp({4, 10}), style, {}));
        style.channel = 3;
        QVERIFY(!renderFilters(ramp({8, 1, 5, 5}), style)); // no channel 3
        QCOMPARE(filterChannels(ramp({4, 18}), {2, 3, 3}), 2);
    }

    void imagesBecomeSamples() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("pic.png").toStdString();
        cv::Mat picture(20, 10, CV_8UC3, cv::Scalar(0, 0, 255)); // red, BGR
        QVERIFY(writePng(path, picture));
        auto rgb = readImageSample(path, {3, 4, 2});
        QVERIFY(rgb);
        QCOMPARE(rgb.value().dims(), (Dims{1, 3, 4, 2}));
        QCOMPARE(rgb.value()[0], 1.0f); // R
        QCOMPARE(rgb.value()[8], 0.0f); // G
        auto gray = readImageSample(path, {1, 28, 28});
        QVERIFY(gray);
        QVERIFY(std::abs(gray.value()[0] - 76.0f / 255.0f) < 0.01f); // 0.299 * 255
        auto missing = readImageSample(dir.filePath("none.png").toStdString(), {1, 28, 28});
        QVERIFY(!missing);
        QVERIFY(missing.message().find("none.png") != std::string::npos);
        QVERIFY(!readImageSample(path, {10})); // not an image input
    }

    void pngWritesAreAtomic() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("out.png").toStdString();
        const cv::Mat a(3, 3, CV_8UC3, cv::Scalar(1, 2, 3));
        QVERIFY(writePng(path, a));
        const cv::Mat back = cv::imread(path, cv::IMREAD_COLOR);
        QCOMPARE(cv::norm(a, back, cv::NORM_INF), 0.0);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // no temporary left
        QVERIFY(!writePng(dir.filePath("no/such/folder/x.png").toStdString(), a));
        QVERIFY(QFile::exists(QString::fromStdString(path)));
    }

    void confusionAndReconstructions() {
        const std::vector<std::int64_t> m{5, 1, 0, 2, 7, 1, 0, 0, 9};
        const cv::Mat c = renderConfusion(m, 3, {"a", "b", "c"}, 30);
        QCOMPARE(c.cols, c.rows);
        QVERIFY(c.cols > 3 * 30);
        const Tensor in = ramp({3, 1, 4, 4}, 1.0f / 48), out = ramp({3, 1, 4, 4}, 1.0f / 60);
        const cv::Mat r = renderReconstructions(in, out, 2, 2);
        QCOMPARE(r.cols, 4 + 2 * ((2 * 4 + 1) * 2 + 4));
        const Tensor heat = ramp({2, 2});
        const cv::Mat overlay =
            renderEvidence(ramp({1, 4, 4}, 1.0f / 16), heat, Colormap::Inferno, 3);
        QCOMPARE(overlay.cols, 12);
    }
};

QTEST_GUILESS_MAIN(VisTest)
#include "tst_vis.moc"
