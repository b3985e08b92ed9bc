// The optimizer update on the GPU: one fused kernel per step over every parameter
// (optimizerrule.h has the arithmetic, identical to the CPU's). The parameters are cut into
// chunks; a table of chunks (pointers, offsets) lives on the device and is re-sent only when
// the parameters' memory changes, so a step is one launch with no host transfer.

#include "optimizerstep.h"

#include "../stepvalues.h"

namespace nc::engine::cuda {

namespace {

constexpr std::int64_t kChunk = 4096;

// The gradients' sum of squares, into *sum (zeroed before), for clip_grad_norm_.
__global__ void sumSquaresKernel(const FusedOptimizer::Chunk* chunks, float* sum) {
    __shared__ float partial[256];
    const FusedOptimizer::Chunk c = chunks[blockIdx.x];
    float local = 0.0f;
    for (std::int64_t j = c.begin + threadIdx.x; j < c.end; j += blockDim.x)
        local += c.grad[j] * c.grad[j];
    partial[threadIdx.x] = local;
    __syncthreads();
    for (unsigned half = blockDim.x / 2; half > 0; half /= 2) {
        if (threadIdx.x < half)
            partial[threadIdx.x] += partial[threadIdx.x + half];
        __syncthreads();
    }
    if (threadIdx.x == 0)
        atomicAdd(sum, partial[0]);
}

template <OptimizerRule::Kind kind>
__global__ void updateKernel(const FusedOptimizer::Chunk* chunks, float lr, float mu, float wd,
                             double bias1, double bias2, float clipNorm, const float* sumSquares,
                             const StepValues* values) {
    const FusedOptimizer::Chunk c = chunks[blockIdx.x];
    if (values) // this step's rate, written before a recording is replayed
        lr = values->lr;
    const float scale =
        clipNorm > 0.0f ? fminf(1.0f, clipNorm / (sqrtf(*sumSquares) + 1e-6f)) : 1.0f;
    for (std::int64_t j = c.begin + threadIdx.x; j < c.end; j += blockDim.x) {
        float* w = c.value;
        const float grad = scale * c.grad[j] + wd * w[j];
        if constexpr (kind == OptimizerRule::Kind::Sgd) {
            w[j] -= lr * grad;
        } else if constexpr (kind == OptimizerRule::Kind::Adam) {
            float* m = c.first;
            float* v = c.second;
            m[j] = 0.9f * m[j] + 0.1f * grad;
            v[j] = 0.999f * v[j] + 0.001f * grad * grad;
            const double b1 = values ? values->bias1 : bias1, b2 = values ? values->bias2 : bias2;
            const float mHat = float(m[j] / b1), vHat = float(v[j] / b2);
            w[j] -= lr * mHat / (sqrtf(vHat) + 1e-8f);
        } else {
            float* m = c.first;
            m[j] = mu * m[j] + grad;
            w[j] -= lr * (kind == OptimizerRule::Kind::Nesterov ? grad + mu * m[j] : m[j]);
        }
    }
}

} // namespace

FusedOptimizer::~FusedOptimizer() {
    if (m_context)
        m_context->release(m_sumSquares);
}

Status FusedOptimizer::step(const OptimizerRule& rule, std::span<const ParameterSlot> slots) {
    CudaContext& context = *m_context;
    std::vector<Chunk> chunks;
    for (const ParameterSlot& slot : slots) {
        const std::int64_t n = slot.value->size();
        for (std::int64_t begin = 0; begin < n; begin += kChunk)
            chunks.push_back(
                {slot.value->data(), slot.grad->data(), slot.first ? slot.first->data() : nullptr,
                 slot.second ? slot.second->data() : nullptr, begin, std::min(begin + kChunk, n)});
    }
    if (chunks.empty())
        return Status::ok();
    Result<const Chunk*> table = m_table.update(std::move(chunks));
    if (!table)
        return table.status();
    const Chunk* chunkTable = table.value();
    const unsigned blocks = unsigned(m_table.size());
    const float lr = rule.lr, mu = rule.momentum, wd = rule.weightDecay;
    cudaStream_t stream = context.stream();
    if (rule.clipNorm > 0.0f) {
        if (!m_sumSquares) {
            m_sumSquares = static_cast<float*>(context.allocate(sizeof(float)));
            if (!m_sumSquares)
                return context.takeError();
        }
        if (Status s = check(cudaMemsetAsync(m_sumSquares, 0, sizeof(float), stream),
                             "cudaMemsetAsync (gradient norm)");
            !s)
            return s;
        sumSquaresKernel<<<blocks, 256, 0, stream>>>(chunkTable, m_sumSquares);
        if (Status s = checkLaunch("gradient norm kernel"); !s)
            return s;
    }
    const float clip = rule.clipNorm;
    const auto* values =
        rule.stepValues ? reinterpret_cast<const StepValues*>(rule.stepValues->data()) : nullptr;
    switch (rule.kind) {
    case OptimizerRule::Kind::Sgd:
        updateKernel<OptimizerRule::Kind::Sgd><<<blocks, 256, 0, stream>>>(
            chunkTable, lr, mu, wd, rule.bias1, rule.bias2, clip, m_sumSquares, values);
        break;
    case OptimizerRule::Kind::Momentum:
        updateKernel<OptimizerRule::Kind::Momentum><<<blocks, 256, 0, stream>>>(
            chunkTable, lr, mu, wd, rule.bias1, rule.bias2, clip, m_sumSquares, values);
        break;
    case OptimizerRule::Kind::Nesterov:
        updateKernel<OptimizerRule::Kind::Nesterov><<<blocks, 256, 0, stream>>>(
            chunkTable, lr, mu, wd, rule.bias1, rule.bias2, clip, m_sumSquares, values);
        break;
    case OptimizerRule::Kind::Adam:
        updateKernel<OptimizerRule::Kind::Adam><<<blocks, 256, 0, stream>>>(
            chunkTable, lr, mu, wd, rule.bias1, rule.bias2, clip, m_sumSquares, values);
        break;
    }
    return checkLaunch("optimizer kernel");
}

} // namespace nc::engine::cuda
