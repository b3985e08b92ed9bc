#pragma once
// A confusion matrix as a picture: rows are true classes, columns predictions; each cell is
// coloured by its share of the row (the recall of the diagonal) and shows its count.
//
//   cv::Mat m = renderConfusion(report.confusion, 10, {"0", "1", ...});

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace nc::vis {

// matrix: classes x classes counts, row-major. `labels` may be empty (class numbers are shown).
cv::Mat renderConfusion(const std::vector<std::int64_t>& matrix, int classes,
                        const std::vector<std::string>& labels, int cellPixels = 40);

} // namespace nc::vis
