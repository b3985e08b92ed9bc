#pragma once
// The fused optimizer update (optimizerstep.cu): one kernel launch per step over every
// parameter, driven by a chunk table kept on the device while the parameters stay put.

#include "chunktable.h"

#include "../backend.h"

#include <span>

namespace nc::engine::cuda {

class FusedOptimizer {
public:
    explicit FusedOptimizer(std::shared_ptr<CudaContext> context)
        : m_context(context), m_table(std::move(context)) {}
    ~FusedOptimizer();
    FusedOptimizer(const FusedOptimizer&) = delete;
    FusedOptimizer& operator=(const FusedOptimizer&) = delete;

    Status step(const OptimizerRule& rule, std::span<const ParameterSlot> slots);

    struct Chunk {
        float* value;
        const float* grad;
        float* first;
        float* second;
        std::int64_t begin, end; // element range within the parameter
    };

private:
    std::shared_ptr<CudaContext> m_context;
    DeviceChunkTable<Chunk> m_table;
    float* m_sumSquares = nullptr; // one float: the gradients' sum of squares, when clipping
};

} // namespace nc::engine::cuda
