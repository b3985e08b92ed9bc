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

// The value below which a fraction `q` (0..1) of the values lies, interpolated linearly inside
// the bucket it falls in (bucket edges clamped to min and max); 0 for an empty histogram.
double histogramQuantile(const Histogram& h, double q);
// The counts re-binned into `bins` equal bins over [lo, hi], each bucket's count spread over
// the bins its range overlaps (a bucket narrower than a bin lands in one); values outside
// [lo, hi] are left out.
std::vector<double> histogramDensity(const Histogram& h, double lo, double hi, int bins);

} // namespace nc::engine
