// The charts' arithmetic: TensorBoard's debiased EMA, the centred moving average, the
// min/max envelope and the level-of-detail reduction, each against values computed by hand.

#include "engine/run/histogram.h"
#include "ui/training/envelopeband.h"
#include "ui/training/levelofdetail.h"
#include "ui/training/runseries.h"
#include "ui/training/smoothing.h"

#include <QtTest>

#include <cmath>
#include <random>

using namespace nc::ui;

class ChartMathTest : public QObject {
    Q_OBJECT

private slots:
    void emaMatchesTensorBoard() {
        // TensorBoard: last = last * w + (1 - w) * v; smoothed = last / (1 - w^n).
        const std::vector<double> v = {1, 3, 2, 6};
        const double w = 0.5;
        const std::vector<double> s = emaDebiased(v, w);
        // n=1: last 0.5, debias 0.5 -> 1
        // n=2: last 0.25 + 1.5 = 1.75, debias 0.75 -> 2.3333
        // n=3: last 0.875 + 1 = 1.875, debias 0.875 -> 2.142857
        // n=4: last 0.9375 + 3 = 3.9375, debias 0.9375 -> 4.2
        const double expected[] = {1.0, 1.75 / 0.75, 1.875 / 0.875, 3.9375 / 0.9375};
        QCOMPARE(s.size(), v.size());
        for (std::size_t i = 0; i < v.size(); ++i)
            QVERIFY2(std::abs(s[i] - expected[i]) < 1e-12, qPrintable(QString::number(i)));
    }

    void emaLeavesConstantSeriesAndNonFiniteValues() {
        const std::vector<double> constant(5, 0.3);
        QCOMPARE(emaDebiased(constant, 0.9), constant);
        // A NaN is shown as it is and does not enter the average.
        const std::vector<double> v = {2, std::nan(""), 4};
        const std::vector<double> s = emaDebiased(v, 0.5);
        QCOMPARE(s[0], 2.0);
        QVERIFY(std::isnan(s[1]));
        // n=2 over the finite values 2, 4: last = 0.5 + 2 = 2.5... (0.5*1 + 0.5*4) / 0.75
        QVERIFY(std::abs(s[2] - (0.5 * 1.0 + 2.0) / 0.75) < 1e-12);
        // Weight 0 is no smoothing.
        const std::vector<double> raw = {5, 1, 9};
        QCOMPARE(emaDebiased(raw, 0.0), raw);
    }

    void movingAverageIsCentredAndShrinksAtTheEnds() {
        const std::vector<double> v = {1, 2, 3, 4, 10};
        const std::vector<double> m = centredMovingAverage(v, 3);
        const double expected[] = {1.5, 2, 3, 17.0 / 3, 7};
        for (std::size_t i = 0; i < v.size(); ++i)
            QVERIFY2(std::abs(m[i] - expected[i]) < 1e-12, qPrintable(QString::number(i)));
        QCOMPARE(centredMovingAverage(v, 1), v);
    }

    void envelopeIsTheWindowsMinAndMax() {
        const std::vector<double> v = {3, 1, 4, 1, 5, 9, 2, 6};
        const Envelope e = minMaxEnvelope(v, 3);
        const std::vector<double> low = {1, 1, 1, 1, 1, 2, 2, 2};
        const std::vector<double> high = {3, 4, 4, 5, 9, 9, 9, 6};
        QCOMPARE(e.low, low);
        QCOMPARE(e.high, high);
    }

    void levelOfDetailKeepsEveryBucketsExtremes() {
        std::mt19937 random(7);
        std::normal_distribution<double> noise;
        const std::size_t n = 100000;
        std::vector<double> x(n), y(n);
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = double(i);
            y[i] = std::sin(double(i) / 900.0) + noise(random);
        }
        y[31337] = 50; // a spike that sampling would lose
        y[77777] = -50;
        const int buckets = 500;
        const CurvePoints r = reduceForDisplay(x, y, 0, double(n - 1), buckets);
        QVERIFY(r.x.size() <= std::size_t(buckets + 1) * 4 + 2);
        QVERIFY(std::is_sorted(r.x.begin(), r.x.end()));
        // Every bucket's minimum and maximum point is in the result, at its own x.
        const double scale = double(buckets) / double(n - 1);
        std::vector<std::size_t> low(buckets + 1, n), high(buckets + 1, n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto b = std::size_t(std::floor(x[i] * scale));
            if (low[b] == n || y[i] < y[low[b]])
                low[b] = i;
            if (high[b] == n || y[i] > y[high[b]])
                high[b] = i;
        }
        auto kept = [&](std::size_t i) {
            auto it = std::lower_bound(r.x.begin(), r.x.end(), x[i]);
            return it != r.x.end() && *it == x[i] && r.y[std::size_t(it - r.x.begin())] == y[i];
        };
        for (int b = 0; b <= buckets; ++b) {
            if (low[std::size_t(b)] == n)
                continue;
            QVERIFY2(kept(low[std::size_t(b)]), qPrintable(QString("bucket %1 min").arg(b)));
            QVERIFY2(kept(high[std::size_t(b)]), qPrintable(QString("bucket %1 max").arg(b)));
        }
        QVERIFY(kept(31337));
        QVERIFY(kept(77777));
    }

    // The envelope band's columns keep each bucket's lowest low and highest high, every point
    // counted, and reach one point past each end of the range.
    void envelopeBandColumnsKeepTheExtremes() {
        std::vector<double> x(1000), low(1000), high(1000);
        for (std::size_t i = 0; i < x.size(); ++i) {
            x[i] = double(i);
            low[i] = -double(i % 7);
            high[i] = double(i % 11);
        }
        high[503] = 100; // a spike inside one bucket
        const auto columns = bandColumns(x, low, high, 100, 900, 80);
        QCOMPARE(columns.size(), std::size_t(80 + 2)); // and the points at 99 and 901
        QCOMPARE(columns.front().x0, 99.0);
        QCOMPARE(columns.back().x1, 901.0);
        double lowest = 0, highest = 0;
        for (const BandColumn& c : columns) {
            lowest = std::min(lowest, c.low);
            highest = std::max(highest, c.high);
            QVERIFY(c.x0 <= c.x1);
        }
        QCOMPARE(lowest, -6.0);
        QCOMPARE(highest, 100.0);
        const auto spike = std::find_if(columns.begin(), columns.end(),
                                        [](const BandColumn& c) { return c.high == 100; });
        QVERIFY(spike->x0 <= 503 && 503 <= spike->x1);
        QVERIFY(bandColumns(x, low, high, 5, 5, 10).empty());
    }

    void levelOfDetailOfAZoomedRangeReachesItsEdges() {
        std::vector<double> x, y;
        for (int i = 0; i < 1000; ++i) {
            x.push_back(i);
            y.push_back(i % 7);
        }
        const CurvePoints r = reduceForDisplay(x, y, 100.5, 200.5, 1000);
        // Few points: every one in range, plus one on each side.
        QCOMPARE(r.x.front(), 100.0);
        QCOMPARE(r.x.back(), 201.0);
        QCOMPARE(r.x.size(), std::size_t(102));
        // Non-finite values are left out.
        y[150] = std::nan("");
        QCOMPARE(reduceForDisplay(x, y, 100.5, 200.5, 1000).x.size(), std::size_t(101));
    }

    void seriesKeepItsValueRangeAndCutBack() {
        RunSeries s;
        double lo = 1e9, hi = -1e9;
        QVERIFY(!s.valueRange(false, lo, hi));
        const double values[] = {3, -1, std::nan(""), 0.5, 7};
        for (int i = 0; i < 5; ++i)
            s.append({double(i + 1), 0.5 * (i + 1), 100.0 + i, values[i]});
        QVERIFY(s.valueRange(false, lo, hi));
        QCOMPARE(lo, -1.0);
        QCOMPARE(hi, 7.0);
        lo = 1e9, hi = -1e9;
        QVERIFY(s.valueRange(true, lo, hi)); // a log axis: positive values only
        QCOMPARE(lo, 0.5);
        // A resumed run keeps the points up to its checkpoint's epoch (x epoch <= 1.5).
        s.truncateAfterEpoch(1.5);
        QCOMPARE(s.size(), std::size_t(3));
        QCOMPARE(s.x(XAxis::RelativeTime).back(), 2.0);
        lo = 1e9, hi = -1e9;
        QVERIFY(s.valueRange(false, lo, hi));
        QCOMPARE(hi, 3.0);
    }

    void histogramQuantilesAndDensity() {
        // Two buckets: 2 values in [0, 1), 6 in [1, 4) (with min 0 and max 4).
        nc::engine::Histogram h;
        h.min = 0;
        h.max = 4;
        h.num = 8;
        h.bucketLimit = {1, 4};
        h.bucket = {2, 6};
        QCOMPARE(nc::engine::histogramQuantile(h, 0.0), 0.0);
        QCOMPARE(nc::engine::histogramQuantile(h, 0.125), 0.5); // 1 of 2 in the first
        QCOMPARE(nc::engine::histogramQuantile(h, 0.25), 1.0);  // the first bucket's top
        QCOMPARE(nc::engine::histogramQuantile(h, 0.625), 2.5); // 3 of 6 through [1, 4)
        QCOMPARE(nc::engine::histogramQuantile(h, 1.0), 4.0);
        // Re-binned over [0, 4] in 4 bins: 2 | 2 2 2.
        const std::vector<double> d = nc::engine::histogramDensity(h, 0, 4, 4);
        QCOMPARE(d, (std::vector<double>{2, 2, 2, 2}));
        // Of a real tensor: the median of 0..999 is near 499.5.
        std::vector<float> values(1000);
        for (int i = 0; i < 1000; ++i)
            values[std::size_t(i)] = float(i);
        const nc::engine::Histogram real = nc::engine::makeHistogram(values);
        QVERIFY(std::abs(nc::engine::histogramQuantile(real, 0.5) - 499.5) < 30);
        double total = 0;
        for (double v : nc::engine::histogramDensity(real, 0, 999, 10))
            total += v;
        QCOMPARE(total, 1000.0);
    }
};

QTEST_APPLESS_MAIN(ChartMathTest)
#include "tst_chartmath.moc"
