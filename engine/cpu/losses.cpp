// The losses on the CPU. Each produces the mean loss over the batch (a tensor of one value);
// the executor seeds its gradient with the loss node's weight. Targets get no gradient.
//   SoftmaxCrossEntropy: mean over samples (or labelled time steps) of -log softmax(logits)[class]
//   MSE:                 mean over all elements of (p - t)^2
//   BinaryCrossEntropy:  mean over all elements of -(t log p + (1-t) log(1-p)), logs >= -100

#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace nc::engine::cpu {

namespace {

// Logits [N, C] with one label per sample, or [N, T, C] with one per time step, where a
// negative label marks padding that neither counts nor gets a gradient. The state holds the
// probabilities and, last, the number of labelled rows the mean is over.
Status crossEntropyForward(const OpCall& call) {
    const Tensor& logits = *call.inputs[0];
    const Tensor& target = *call.inputs[1];
    const bool perStep = logits.rank() == 3;
    const std::int64_t classes = logits.dim(logits.rank() - 1), rows = logits.size() / classes;
    call.state->resize({rows * classes + 1});
    float* prob = call.state->data();
    double total = 0.0;
    std::int64_t labelled = 0;
    for (std::int64_t i = 0; i < rows; ++i) {
        const float label = target.data()[i];
        const std::int64_t cls = std::int64_t(label);
        float* p = prob + i * classes;
        if (perStep && label < 0.0f) {
            std::fill(p, p + classes, 0.0f);
            continue;
        }
        if (!(label >= 0.0f) || float(cls) != label || cls >= classes) {
            const std::string where = perStep ? "sample " + std::to_string(i / logits.dim(1)) +
                                                    ", step " + std::to_string(i % logits.dim(1))
                                              : "sample " + std::to_string(i);
            return Status::error("SoftmaxCrossEntropy: " + where + " has class " +
                                 std::to_string(label) + ", but the logits have " +
                                 std::to_string(classes) + " classes (0.." +
                                 std::to_string(classes - 1) + ")" +
                                 (perStep ? "; a negative class marks padding" : ""));
        }
        const float* z = logits.data() + i * classes;
        const float peak = *std::max_element(z, z + classes);
        double sum = 0.0;
        for (std::int64_t c = 0; c < classes; ++c)
            sum += std::exp(double(z[c] - peak));
        const double logSum = std::log(sum);
        for (std::int64_t c = 0; c < classes; ++c)
            p[c] = float(std::exp(double(z[c] - peak) - logSum));
        total += logSum - double(z[cls] - peak);
        ++labelled;
    }
    prob[rows * classes] = float(labelled);
    call.output->data()[0] = labelled > 0 ? float(total / double(labelled)) : 0.0f;
    return Status::ok();
}

Status crossEntropyBackward(const OpCall& call) {
    Tensor* dlogits = call.gradInputs.empty() ? nullptr : call.gradInputs[0];
    if (!dlogits)
        return Status::ok();
    const Tensor& target = *call.inputs[1];
    const std::int64_t classes = dlogits->dim(dlogits->rank() - 1),
                       rows = dlogits->size() / classes;
    const float* prob = call.state->data();
    const float labelled = prob[rows * classes];
    if (labelled == 0.0f)
        return Status::ok();
    const float scale = call.gradOutput->data()[0] / labelled;
    for (std::int64_t i = 0; i < rows; ++i) {
        const std::int64_t cls = std::int64_t(target.data()[i]);
        if (cls < 0) // padding
            continue;
        for (std::int64_t c = 0; c < classes; ++c)
            dlogits->data()[i * classes + c] +=
                scale * (prob[i * classes + c] - (c == cls ? 1.0f : 0.0f));
    }
    return Status::ok();
}

Status elementLossForward(const OpCall& call) {
    const Tensor& p = *call.inputs[0];
    const Tensor& t = *call.inputs[1];
    const std::int64_t n = p.size();
    const bool bce = call.kind == OpKind::BinaryCrossEntropy;
    double total = 0.0;
    for (std::int64_t i = 0; i < n; ++i) {
        const double pi = p.data()[i], ti = t.data()[i];
        if (bce) {
            if (!(pi >= 0.0 && pi <= 1.0))
                return Status::error("BinaryCrossEntropy: prediction " + std::to_string(pi) +
                                     " is outside [0, 1] (add a sigmoid activation)");
            total -= ti * std::max(std::log(pi), -100.0) +
                     (1.0 - ti) * std::max(std::log(1.0 - pi), -100.0);
        } else {
            total += (pi - ti) * (pi - ti);
        }
    }
    call.output->data()[0] = float(total / double(n));
    return Status::ok();
}

Status elementLossBackward(const OpCall& call) {
    Tensor* dp = call.gradInputs.empty() ? nullptr : call.gradInputs[0];
    if (!dp)
        return Status::ok();
    const Tensor& p = *call.inputs[0];
    const Tensor& t = *call.inputs[1];
    const std::int64_t n = p.size();
    const float scale = call.gradOutput->data()[0] / float(n);
    const bool bce = call.kind == OpKind::BinaryCrossEntropy;
    for (std::int64_t i = 0; i < n; ++i) {
        const float pi = p.data()[i], ti = t.data()[i];
        dp->data()[i] +=
            bce ? scale * (pi - ti) / std::max(pi * (1.0f - pi), 1e-12f) : scale * 2.0f * (pi - ti);
    }
    return Status::ok();
}

} // namespace

Status lossForward(const OpCall& call) {
    return call.kind == OpKind::SoftmaxCrossEntropy ? crossEntropyForward(call)
                                                    : elementLossForward(call);
}

Status lossBackward(const OpCall& call) {
    return call.kind == OpKind::SoftmaxCrossEntropy ? crossEntropyBackward(call)
                                                    : elementLossBackward(call);
}

} // namespace nc::engine::cpu
