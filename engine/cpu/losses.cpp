// The losses on the CPU. Each produces the mean loss over the batch (a tensor of one value);
// the executor seeds its gradient with the loss node's weight. Targets get no gradient.
//   SoftmaxCrossEntropy: mean over samples of -log softmax(logits)[class]
//   MSE:                 mean over all elements of (p - t)^2
//   BinaryCrossEntropy:  mean over all elements of -(t log p + (1-t) log(1-p)), logs >= -100

#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace nc::engine::cpu {

namespace {

Status crossEntropyForward(const OpCall& call) {
    const Tensor& logits = *call.inputs[0];
    const Tensor& target = *call.inputs[1];
    const std::int64_t n = logits.dim(0), classes = sampleSize(logits);
    call.state->resize(logits.dims()); // softmax probabilities
    float* prob = call.state->data();
    double total = 0.0;
    for (std::int64_t i = 0; i < n; ++i) {
        const float label = target.data()[i];
        const std::int64_t cls = std::int64_t(label);
        if (!(label >= 0.0f) || float(cls) != label || cls >= classes)
            return Status::error("SoftmaxCrossEntropy: sample " + std::to_string(i) +
                                 " has class " + std::to_string(label) + ", but the logits have " +
                                 std::to_string(classes) + " classes (0.." +
                                 std::to_string(classes - 1) + ")");
        const float* z = logits.data() + i * classes;
        float* p = prob + i * classes;
        const float peak = *std::max_element(z, z + classes);
        double sum = 0.0;
        for (std::int64_t c = 0; c < classes; ++c)
            sum += std::exp(double(z[c] - peak));
        const double logSum = std::log(sum);
        for (std::int64_t c = 0; c < classes; ++c)
            p[c] = float(std::exp(double(z[c] - peak) - logSum));
        total += logSum - double(z[cls] - peak);
    }
    call.output->data()[0] = float(total / double(n));
    return Status::ok();
}

Status crossEntropyBackward(const OpCall& call) {
    Tensor* dlogits = call.gradInputs.empty() ? nullptr : call.gradInputs[0];
    if (!dlogits)
        return Status::ok();
    const Tensor& target = *call.inputs[1];
    const std::int64_t n = dlogits->dim(0), classes = sampleSize(*dlogits);
    const float scale = call.gradOutput->data()[0] / float(n);
    const float* prob = call.state->data();
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t cls = std::int64_t(target.data()[i]);
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
