// The losses on the GPU, each the mean over the batch in a one-value tensor, as on the CPU:
// a kernel writes each sample's (or element's) loss to scratch and one block sums them in
// double; per-step cross-entropy averages over the labelled steps only. Invalid inputs (a class
// label outside the logits, a BCE prediction outside [0, 1]) make the loss NaN, which the finite
// check reports with the node's name; the data checks before training (checkDataFits) name the bad
// label itself. The backward kernels read the incoming gradient from device memory: no host round
// trip.

#include "elementwise.h"
#include "kernels.h"

namespace nc::engine::cuda {

namespace {

// Rows are samples, or time steps for [N, T, C] logits, where a negative label (perStep) is
// padding: it adds no loss and no gradient, and labelled[i] says which rows count.
__global__ void crossEntropyKernel(const float* logits, const float* target, float* prob,
                                   float* loss, float* labelled, std::int64_t n,
                                   std::int64_t classes, bool perStep) {
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < n;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const float label = target[i];
        const std::int64_t cls = std::int64_t(label);
        const float* z = logits + i * classes;
        float* p = prob + i * classes;
        const bool padding = perStep && label < 0.0f;
        if (padding || !(label >= 0.0f) || float(cls) != label || cls >= classes) {
            for (std::int64_t c = 0; c < classes; ++c)
                p[c] = 0.0f;
            loss[i] = padding ? 0.0f : NAN;
            labelled[i] = padding ? 0.0f : 1.0f;
            continue;
        }
        float peak = z[0];
        for (std::int64_t c = 1; c < classes; ++c)
            peak = fmaxf(peak, z[c]);
        double sum = 0.0;
        for (std::int64_t c = 0; c < classes; ++c)
            sum += exp(double(z[c] - peak));
        const double logSum = log(sum);
        for (std::int64_t c = 0; c < classes; ++c)
            p[c] = float(exp(double(z[c] - peak) - logSum));
        loss[i] = float(logSum - double(z[cls] - peak));
        labelled[i] = 1.0f;
    }
}

// mean over all rows / share of labelled rows = mean over labelled rows (0 when none are).
__global__ void labelledMeanKernel(float* mean, const float* labelledShare) {
    mean[0] = labelledShare[0] > 0.0f ? mean[0] / labelledShare[0] : 0.0f;
}

__global__ void crossEntropyBackwardKernel(const float* prob, const float* target,
                                           const float* gradOutput, float* dlogits, std::int64_t n,
                                           std::int64_t classes) {
    const float labelled = prob[n * classes] * float(n);
    if (labelled == 0.0f)
        return;
    const float scale = gradOutput[0] / labelled;
    const std::int64_t total = n * classes;
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const std::int64_t sample = i / classes, c = i % classes;
        const std::int64_t cls = std::int64_t(target[sample]);
        if (cls >= 0)
            dlogits[i] += scale * (prob[i] - (c == cls ? 1.0f : 0.0f));
    }
}

__global__ void elementLossKernel(const float* p, const float* t, float* loss, bool bce,
                                  std::int64_t n) {
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < n;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const double pi = p[i], ti = t[i];
        if (!bce) {
            loss[i] = float((pi - ti) * (pi - ti));
        } else if (!(pi >= 0.0 && pi <= 1.0)) {
            loss[i] = NAN;
        } else {
            loss[i] =
                float(-(ti * fmax(log(pi), -100.0) + (1.0 - ti) * fmax(log(1.0 - pi), -100.0)));
        }
    }
}

__global__ void elementLossBackwardKernel(const float* p, const float* t, const float* gradOutput,
                                          float* dp, bool bce, std::int64_t n) {
    const float scale = gradOutput[0] / float(n);
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < n;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const float pi = p[i], ti = t[i];
        dp[i] +=
            bce ? scale * (pi - ti) / fmaxf(pi * (1.0f - pi), 1e-12f) : scale * 2.0f * (pi - ti);
    }
}

} // namespace

Status lossForward(CudaContext& context, const OpCall& call) {
    const Tensor& p = *call.inputs[0];
    const Tensor& t = *call.inputs[1];
    if (call.kind == OpKind::SoftmaxCrossEntropy) {
        // The state: probabilities, then the share of labelled rows.
        const std::int64_t classes = p.dim(p.rank() - 1), n = p.size() / classes;
        if (Status s = resizeState(context, *call.state, {n * classes + 1}); !s)
            return s;
        Result<float*> losses = context.scratch(3, 2 * n);
        if (!losses)
            return losses.status();
        float* labelled = losses.value() + n;
        float* labelledShare = call.state->data() + n * classes;
        crossEntropyKernel<<<blocksFor(n, 128), 128, 0, context.stream()>>>(
            p.data(), t.data(), call.state->data(), losses.value(), labelled, n, classes,
            p.rank() == 3);
        if (Status s = checkLaunch("cross-entropy kernel"); !s)
            return s;
        if (Status s = meanInto(context, losses.value(), n, call.output->data()); !s)
            return s;
        if (Status s = meanInto(context, labelled, n, labelledShare); !s)
            return s;
        labelledMeanKernel<<<1, 1, 0, context.stream()>>>(call.output->data(), labelledShare);
        return checkLaunch("cross-entropy mean kernel");
    }
    const std::int64_t n = p.size();
    Result<float*> losses = context.scratch(3, n);
    if (!losses)
        return losses.status();
    elementLossKernel<<<blocksFor(n), 256, 0, context.stream()>>>(
        p.data(), t.data(), losses.value(), call.kind == OpKind::BinaryCrossEntropy, n);
    if (Status s = checkLaunch("loss kernel"); !s)
        return s;
    return meanInto(context, losses.value(), n, call.output->data());
}

Status lossBackward(CudaContext& context, const OpCall& call) {
    Tensor* dp = gradInput(call, 0);
    if (!dp)
        return Status::ok();
    const Tensor& p = *call.inputs[0];
    const Tensor& t = *call.inputs[1];
    if (call.kind == OpKind::SoftmaxCrossEntropy) {
        const std::int64_t classes = p.dim(p.rank() - 1), n = p.size() / classes;
        crossEntropyBackwardKernel<<<blocksFor(n * classes), 256, 0, context.stream()>>>(
            call.state->data(), t.data(), call.gradOutput->data(), dp->data(), n, classes);
        return checkLaunch("cross-entropy gradient kernel");
    }
    elementLossBackwardKernel<<<blocksFor(p.size()), 256, 0, context.stream()>>>(
        p.data(), t.data(), call.gradOutput->data(), dp->data(),
        call.kind == OpKind::BinaryCrossEntropy, p.size());
    return checkLaunch("loss gradient kernel");
}

} // namespace nc::engine::cuda
