#pragma once
// Smoothing of a curve's values, computed on every point (never after downsampling):
//   - TensorBoard's debiased exponential moving average (the scalar dashboard's slider): the
//     same numbers as TensorBoard for the same weight, constant series left as they are and
//     non-finite values passed through;
//   - a centred moving average over a window of points (shrinking at the ends);
//   - a min/max envelope over the same centred window.

#include <span>
#include <vector>

namespace nc::ui {

enum class SmoothingMode { None, Ema, MovingAverage, Envelope };

// weight in [0, 1): 0 leaves the values as they are.
std::vector<double> emaDebiased(std::span<const double> values, double weight);
// The mean of the `window` points centred on each point (window 1: the values themselves).
std::vector<double> centredMovingAverage(std::span<const double> values, int window);

struct Envelope {
    std::vector<double> low, high;
};
Envelope minMaxEnvelope(std::span<const double> values, int window);

} // namespace nc::ui
