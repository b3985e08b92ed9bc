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

} // namespace nc::engine
