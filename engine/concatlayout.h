#pragma once
// How Concat lays its inputs out, for every backend: along per-sample axis `axis`, each
// sample of the output is `outer` blocks (the leading dimensions), and input i contributes a
// block of dims[axis + 1] * inner values to each.

#include "tensor.h"

namespace nc::engine {

struct ConcatLayout {
    std::int64_t outer = 1, inner = 1;
};

inline ConcatLayout concatLayout(const Tensor& t, int axis) {
    ConcatLayout l;
    for (int d = 0; d < axis + 1; ++d)
        l.outer *= t.dim(d);
    for (int d = axis + 2; d < t.rank(); ++d)
        l.inner *= t.dim(d);
    return l;
}

} // namespace nc::engine
