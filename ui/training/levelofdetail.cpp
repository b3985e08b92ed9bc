#include "levelofdetail.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace nc::ui {

namespace {

// The points of one bucket worth drawing, by index.
struct Bucket {
    std::size_t first = 0, low = 0, high = 0, last = 0;
    bool empty = true;

    void add(std::size_t i, std::span<const double> y) {
        if (empty) {
            first = low = high = last = i;
            empty = false;
            return;
        }
        if (y[i] < y[low])
            low = i;
        if (y[i] > y[high])
            high = i;
        last = i;
    }

    void emit(std::span<const double> x, std::span<const double> y, CurvePoints& out) const {
        if (empty)
            return;
        std::array<std::size_t, 4> order = {first, low, high, last};
        std::sort(order.begin(), order.end());
        std::size_t previous = std::size_t(-1);
        for (std::size_t i : order) {
            if (i == previous)
                continue;
            out.x.push_back(x[i]);
            out.y.push_back(y[i]);
            previous = i;
        }
    }
};

} // namespace

CurvePoints reduceForDisplay(std::span<const double> x, std::span<const double> y, double from,
                             double to, int buckets) {
    CurvePoints out;
    const std::size_t n = std::min(x.size(), y.size());
    if (n == 0)
        return out;
    // The visible points, widened by one on each side.
    std::size_t begin =
        std::size_t(std::lower_bound(x.begin(), x.begin() + long(n), from) - x.begin());
    std::size_t end = std::size_t(std::upper_bound(x.begin(), x.begin() + long(n), to) - x.begin());
    begin = begin > 0 ? begin - 1 : 0;
    end = std::min(n, end + 1);
    if (buckets <= 0 || !(to > from) || end - begin <= std::size_t(buckets) * 4) {
        for (std::size_t i = begin; i < end; ++i)
            if (std::isfinite(y[i])) {
                out.x.push_back(x[i]);
                out.y.push_back(y[i]);
            }
        return out;
    }
    out.x.reserve(std::size_t(buckets) * 4 + 2);
    out.y.reserve(std::size_t(buckets) * 4 + 2);
    const double scale = double(buckets) / (to - from);
    Bucket bucket;
    // The bucket of x[i] is floor((x - from) * scale); points are walked in x order, so only a
    // crossing of the current bucket's upper edge needs the division.
    double upperEdge = -std::numeric_limits<double>::infinity();
    for (std::size_t i = begin; i < end; ++i) {
        if (!std::isfinite(y[i]))
            continue;
        if (x[i] >= upperEdge) {
            bucket.emit(x, y, out);
            bucket = Bucket{};
            const double index = std::floor((x[i] - from) * scale);
            upperEdge = from + (index + 1) / scale;
            if (std::floor((upperEdge - from) * scale) <= index) // rounding: keep the same index
                upperEdge = std::nextafter(upperEdge, std::numeric_limits<double>::infinity());
        }
        bucket.add(i, y);
    }
    bucket.emit(x, y, out);
    return out;
}

} // namespace nc::ui
