#pragma once
// Output sizes of convolution, transposed convolution and pooling windows, per spatial axis.
//   conv:   floor((H + 2p - d(k-1) - 1) / s) + 1     "same": ceil(H / s)    "full": p = d(k-1)
//   deconv: (H-1)s - 2p + d(k-1) + 1                 "same": H * s          "full": p = d(k-1)
// "same" follows TensorFlow: at a stride above 1 the padding may be one larger at the end.

#include "../paramvalue.h"

#include <cstdint>
#include <optional>
#include <string>

namespace nc::graph::layers {

struct Window2d {
    IntList kernel;   // [kh, kw]
    IntList stride;   // [sh, sw]
    IntList dilation; // [dh, dw]
    ParamValue padding;
};

struct Size2d {
    std::int64_t h = 0;
    std::int64_t w = 0;
};

// Either the output size, or a message such as
// `kernel 5x5 is larger than its 4x4 input (padding "valid")`.
struct Geometry {
    std::optional<Size2d> size;
    std::string error;
};

Geometry convOutput(Size2d in, const Window2d& window);
Geometry deconvOutput(Size2d in, const Window2d& window);
Geometry poolOutput(Size2d in, const Window2d& window);

// "same" padding of one axis, the one place it is worked out: TensorFlow's split, the odd cell
// at the end. For a convolution or pool the output is ceil(in / stride) and `before + after`
// the cells added; for a deconvolution the output is in * stride and they are the cells
// cropped (negative: added).
struct PadSplit {
    std::int64_t before = 0;
    std::int64_t after = 0;
};
PadSplit samePadding(std::int64_t in, std::int64_t stride, std::int64_t effectiveKernel);
PadSplit sameCrop(std::int64_t in, std::int64_t stride, std::int64_t effectiveKernel);

// "valid", "same", "full" or "2x1" for messages.
std::string describePadding(const ParamValue& padding);

} // namespace nc::graph::layers
