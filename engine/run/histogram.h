#pragma once
// A histogram of a tensor's values as TensorBoard draws them (its HistogramProto): min, max,
// count, sum, sum of squares, and counts in buckets. The bucket edges are TensorFlow's
// defaults: 0 and +-1e-12 growing by 10% up to +-1e20, then +-DBL_MAX, so histograms of any
// two tensors line up. Runs of empty buckets are merged into one, as TensorFlow does when it
// encodes a histogram; bucket i counts the values in [bucketLimit[i-1], bucketLimit[i]).
//
//   Histogram h = makeHistogram({param.value.data(), std::size_t(param.value.size())});
//   events.append(histogramEvent(wallTime, epoch, "weights/" + param.name, h));

#include <span>
#include <vector>

namespace nc::engine {

struct Histogram {
    double min = 0, max = 0, num = 0, sum = 0, sumSquares = 0;
    std::vector<double> bucketLimit; // the upper edge of each bucket
    std::vector<double> bucket;      // the number of values in each
};

// The upper edges of TensorFlow's default buckets, ascending; the last is DBL_MAX.
const std::vector<double>& defaultHistogramEdges();

// NaN and infinite values are left out (the trainer's NaN watchdog reports those).
Histogram makeHistogram(std::span<const float> values);

} // namespace nc::engine
