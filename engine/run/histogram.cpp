#include "histogram.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>

namespace nc::engine {

const std::vector<double>& defaultHistogramEdges() {
    static const std::vector<double> edges = [] {
        std::vector<double> positive;
        for (double v = 1.0e-12; v < 1.0e20; v *= 1.1)
            positive.push_back(v);
        positive.push_back(DBL_MAX);
        std::vector<double> all;
        all.reserve(2 * positive.size() + 1);
        for (auto it = positive.rbegin(); it != positive.rend(); ++it)
            all.push_back(-*it);
        all.push_back(0.0);
        all.insert(all.end(), positive.begin(), positive.end());
        return all;
    }();
    return edges;
}

Histogram makeHistogram(std::span<const float> values) {
    const std::vector<double>& edges = defaultHistogramEdges();
    std::vector<std::int64_t> counts(edges.size(), 0);
    Histogram h;
    h.min = DBL_MAX;
    h.max = -DBL_MAX;
    for (float f : values) {
        if (!std::isfinite(f))
            continue;
        const double v = f;
        h.min = std::min(h.min, v);
        h.max = std::max(h.max, v);
        h.num += 1;
        h.sum += v;
        h.sumSquares += v * v;
        const auto b = std::upper_bound(edges.begin(), edges.end(), v) - edges.begin();
        ++counts[std::min(std::size_t(b), counts.size() - 1)];
    }
    if (h.num == 0)
        h.min = h.max = 0;
    for (std::size_t i = 0; i < counts.size();) {
        double end = edges[i];
        const double count = double(counts[i]);
        ++i;
        if (count == 0) // merge the run of empty buckets that starts here
            for (; i < counts.size() && counts[i] == 0; ++i)
                end = edges[i];
        h.bucketLimit.push_back(end);
        h.bucket.push_back(count);
    }
    return h;
}

namespace {

// Bucket i covers [lower, upper], clamped to the values seen.
std::pair<double, double> bucketRange(const Histogram& h, std::size_t i) {
    const double lower = i == 0 ? h.min : std::max(h.min, h.bucketLimit[i - 1]);
    const double upper = std::min(h.max, h.bucketLimit[i]);
    return {std::min(lower, upper), upper};
}

} // namespace

double histogramQuantile(const Histogram& h, double q) {
    if (h.num <= 0 || h.bucket.empty())
        return 0;
    const double target = std::clamp(q, 0.0, 1.0) * h.num;
    double seen = 0;
    for (std::size_t i = 0; i < h.bucket.size(); ++i) {
        const double count = h.bucket[i];
        if (count <= 0)
            continue;
        if (seen + count >= target) {
            auto [lower, upper] = bucketRange(h, i);
            return lower + (upper - lower) * (target - seen) / count;
        }
        seen += count;
    }
    return h.max;
}

std::vector<double> histogramDensity(const Histogram& h, double lo, double hi, int bins) {
    std::vector<double> out(std::size_t(std::max(bins, 1)), 0.0);
    if (!(hi > lo))
        return out;
    const double width = (hi - lo) / double(out.size());
    auto binOf = [&](double v) {
        return std::clamp<long>(long((v - lo) / width), 0, long(out.size()) - 1);
    };
    for (std::size_t i = 0; i < h.bucket.size(); ++i) {
        const double count = h.bucket[i];
        if (count <= 0)
            continue;
        auto [lower, upper] = bucketRange(h, i);
        if (upper < lo || lower > hi)
            continue; // outside the range shown
        const long first = binOf(lower), last = binOf(upper);
        if (first == last || upper <= lower) {
            out[std::size_t(first)] += count;
            continue;
        }
        for (long b = first; b <= last; ++b) { // by the overlap of [lower, upper] with bin b
            const double binLo = lo + double(b) * width, binHi = binLo + width;
            const double overlap = std::min(upper, binHi) - std::max(lower, binLo);
            if (overlap > 0)
                out[std::size_t(b)] += count * overlap / (upper - lower);
        }
    }
    return out;
}

} // namespace nc::engine
