#include "stepmetrics.h"

#include "elementwise.h"

#include "../stepvalues.h"

namespace nc::engine::cuda {

namespace {

constexpr int kMaxLosses = 8;
constexpr int kThreads = 256;

struct LossList {
    const float* values[kMaxLosses];
    float weights[kMaxLosses];
    int count;
};

// One block: thread 0 sums the weighted losses in order (as the host does, in float); all
// threads count labelled rows (a negative label is padding) and those whose first largest
// logit is at the label's column. The entry is the step's slot of the log.
__global__ void metricsKernel(LossList losses, const float* logits, const float* labels,
                              std::int64_t rows, std::int64_t width, float* log,
                              const StepValues* values) {
    __shared__ int counts[kThreads];
    __shared__ int labelled[kThreads];
    int correct = 0, rowsLabelled = 0;
    if (logits)
        for (std::int64_t r = threadIdx.x; r < rows; r += blockDim.x) {
            if (labels[r] < 0.0f)
                continue;
            const float* z = logits + r * width;
            std::int64_t best = 0;
            for (std::int64_t c = 1; c < width; ++c)
                if (z[c] > z[best])
                    best = c;
            correct += best == std::int64_t(labels[r]) ? 1 : 0;
            ++rowsLabelled;
        }
    counts[threadIdx.x] = correct;
    labelled[threadIdx.x] = rowsLabelled;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (int(threadIdx.x) < stride) {
            counts[threadIdx.x] += counts[threadIdx.x + stride];
            labelled[threadIdx.x] += labelled[threadIdx.x + stride];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        float* out = log + 3 * std::int64_t(values->slot);
        float total = 0.0f;
        for (int i = 0; i < losses.count; ++i)
            total += losses.weights[i] * losses.values[i][0];
        out[0] = total;
        out[1] = float(counts[0]);
        out[2] = float(labelled[0]);
    }
}

// Non-negative floats order like their bit patterns, so an integer atomicMin keeps the
// smallest code.
__global__ void nonFiniteCodeKernel(const float* data, std::int64_t count, std::int64_t base,
                                    std::int64_t perSlot, const StepValues* values,
                                    float* firstBad) {
    const float code = float(base + perSlot * std::int64_t(values->slot));
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < count;
         i += std::int64_t(gridDim.x) * blockDim.x)
        if (!isfinite(data[i])) {
            atomicMin(reinterpret_cast<int*>(firstBad), __float_as_int(code));
            return;
        }
}

const StepValues* deviceValues(const Tensor& t) {
    return reinterpret_cast<const StepValues*>(t.data());
}

} // namespace

Status recordStepMetrics(CudaContext& context, std::span<const WeightedLoss> losses,
                         const Tensor* logits, const Tensor* labels, Tensor& log,
                         const Tensor& stepValues) {
    if (losses.size() > kMaxLosses)
        return Status::error("more than " + std::to_string(kMaxLosses) +
                             " loss nodes are not supported on the GPU");
    LossList list{};
    list.count = int(losses.size());
    for (std::size_t i = 0; i < losses.size(); ++i) {
        list.values[i] = losses[i].value->data();
        list.weights[i] = losses[i].weight;
    }
    const bool classify = logits && labels;
    metricsKernel<<<1, kThreads, 0, context.stream()>>>(
        list, classify ? logits->data() : nullptr, classify ? labels->data() : nullptr,
        classify ? labels->size() : 0, classify ? logits->dim(logits->rank() - 1) : 0, log.data(),
        deviceValues(stepValues));
    return checkLaunch("step metrics kernel");
}

Status noteNonFinite(CudaContext& context, const Tensor& t, std::int64_t code,
                     std::int64_t codesPerSlot, const Tensor& stepValues, Tensor& firstBad) {
    if (t.size() == 0)
        return Status::ok();
    nonFiniteCodeKernel<<<blocksFor(t.size()), 256, 0, context.stream()>>>(
        t.data(), t.size(), code, codesPerSlot, deviceValues(stepValues), firstBad.data());
    return checkLaunch("finite-check kernel");
}

} // namespace nc::engine::cuda
