#pragma once
// Level of detail for drawing long curves: every point is kept in the run's series, and a
// redraw hands the plot only what its pixels can show. The visible x range is cut into
// buckets (about one per pixel); each bucket keeps its first, lowest, highest and last point,
// in x order. So every bucket's minimum and maximum survive (no spike is ever lost, unlike
// TensorBoard's sampling), and a line through the result covers the same pixels as one
// through every point. One point on each side of the range is kept so lines reach the edges.

#include <span>
#include <vector>

namespace nc::ui {

struct CurvePoints {
    std::vector<double> x, y;
};

// `x` ascending. Non-finite values are left out. With buckets <= 0 or an empty range, every
// point in the range is returned.
CurvePoints reduceForDisplay(std::span<const double> x, std::span<const double> y, double from,
                             double to, int buckets);

} // namespace nc::ui
