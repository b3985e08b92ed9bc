#include "smoothing.h"

#include <algorithm>
#include <cmath>
#include <deque>

namespace nc::ui {

std::vector<double> emaDebiased(std::span<const double> values, double weight) {
    std::vector<double> out(values.begin(), values.end());
    const bool constant =
        std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); });
    if (values.empty() || constant || weight <= 0)
        return out;
    double last = 0;
    int accumulated = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!std::isfinite(values[i]))
            continue; // passed through, and left out of the average
        last = last * weight + (1 - weight) * values[i];
        ++accumulated;
        const double debias = weight == 1 ? 1 : 1 - std::pow(weight, accumulated);
        out[i] = last / debias;
    }
    return out;
}

namespace {

// The centred window [i - before, i + after] of point i, clipped to the series.
std::pair<std::size_t, std::size_t> windowAround(std::size_t i, std::size_t size, int window) {
    const std::size_t before = std::size_t(std::max(window, 1) - 1) / 2;
    const std::size_t after = std::size_t(std::max(window, 1)) / 2;
    return {i >= before ? i - before : 0, std::min(size - 1, i + after)};
}

} // namespace

std::vector<double> centredMovingAverage(std::span<const double> values, int window) {
    std::vector<double> out(values.size());
    // Prefix sums over the finite values, and their counts.
    std::vector<double> sum(values.size() + 1, 0.0);
    std::vector<std::size_t> count(values.size() + 1, 0);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const bool finite = std::isfinite(values[i]);
        sum[i + 1] = sum[i] + (finite ? values[i] : 0.0);
        count[i + 1] = count[i] + (finite ? 1 : 0);
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        auto [first, last] = windowAround(i, values.size(), window);
        const std::size_t n = count[last + 1] - count[first];
        out[i] = n > 0 ? (sum[last + 1] - sum[first]) / double(n) : values[i];
    }
    return out;
}

namespace {

// The sliding-window minimum (or maximum, with `less` reversed) over centred windows, in one
// pass with a monotonic deque of indices.
template <typename Less>
std::vector<double> slidingExtreme(std::span<const double> values, int window, Less less) {
    std::vector<double> out(values.size());
    std::deque<std::size_t> candidates;
    std::size_t added = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        auto [first, last] = windowAround(i, values.size(), window);
        for (; added <= last; ++added) {
            if (!std::isfinite(values[added]))
                continue;
            while (!candidates.empty() && !less(values[candidates.back()], values[added]))
                candidates.pop_back();
            candidates.push_back(added);
        }
        while (!candidates.empty() && candidates.front() < first)
            candidates.pop_front();
        out[i] = candidates.empty() ? values[i] : values[candidates.front()];
    }
    return out;
}

} // namespace

Envelope minMaxEnvelope(std::span<const double> values, int window) {
    return {slidingExtreme(values, window, std::less<double>()),
            slidingExtreme(values, window, std::greater<double>())};
}

} // namespace nc::ui
