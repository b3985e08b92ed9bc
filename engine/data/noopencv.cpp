// Built without OpenCV (a bare GPU server): the datasets that need it say so.

#include "loaders.h"

namespace nc::engine {

using nc::core::Status;

Result<Dataset> makeSyntheticDigits(std::int64_t, std::int64_t, std::uint64_t) {
    return Status::error(
        "synthetic:digits needs OpenCV, and this build has none (use mnist:DIR or csv:FILE)");
}

Result<Dataset> makeSyntheticShapes(std::int64_t, std::int64_t, std::uint64_t) {
    return Status::error(
        "synthetic:shapes needs OpenCV, and this build has none (use mnist:DIR or csv:FILE)");
}

Result<Dataset> loadImageFolder(const std::string& dir, const Dims&) {
    return Status::error("images:" + dir + " needs OpenCV, and this build has none");
}

} // namespace nc::engine
