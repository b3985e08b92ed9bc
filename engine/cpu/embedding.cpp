// Embedding on the CPU: row x[n, t] of the weight for every token; the backward pass adds each
// token's output gradient to its row. Token indices get no gradient (the lookup is piecewise
// constant in them).

#include "kernels.h"

#include <algorithm>
#include <string>

namespace nc::engine::cpu {

namespace {

// The row a token names, or -1 when it is not a whole number in [0, vocabulary).
std::int64_t rowOf(float token, std::int64_t vocabulary) {
    const std::int64_t row = std::int64_t(token);
    return token >= 0.0f && float(row) == token && row < vocabulary ? row : -1;
}

} // namespace

Status embeddingForward(const OpCall& call) {
    const Tensor& x = *call.inputs[0];
    const Tensor& weight = *call.params[0];
    const std::int64_t n = x.dim(0), steps = sampleSize(x);
    const std::int64_t vocabulary = weight.dim(0), units = weight.dim(1);
    for (std::int64_t i = 0; i < n * steps; ++i) {
        const std::int64_t row = rowOf(x[i], vocabulary);
        if (row < 0)
            return Status::error("sample " + std::to_string(i / steps) + ", step " +
                                 std::to_string(i % steps) + " has token " + std::to_string(x[i]) +
                                 ", but the vocabulary has " + std::to_string(vocabulary) +
                                 " tokens (0.." + std::to_string(vocabulary - 1) + ")");
        std::copy_n(weight.data() + row * units, units, call.output->data() + i * units);
    }
    return Status::ok();
}

Status embeddingBackward(const OpCall& call) {
    Tensor* grad = call.gradParams.empty() ? nullptr : call.gradParams[0];
    if (!grad)
        return Status::ok();
    const Tensor& x = *call.inputs[0];
    const std::int64_t tokens = x.size(), vocabulary = grad->dim(0), units = grad->dim(1);
    const float* dy = call.gradOutput->data();
    for (std::int64_t i = 0; i < tokens; ++i) {
        float* row = grad->data() + rowOf(x[i], vocabulary) * units; // checked by forward
        for (std::int64_t u = 0; u < units; ++u)
            row[u] += dy[i * units + u];
    }
    return Status::ok();
}

} // namespace nc::engine::cpu
