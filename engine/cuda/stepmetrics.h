#pragma once
// Step metrics and deferred finite checks on the GPU (Backend::recordStepMetrics,
// Backend::noteNonFinite): small kernels that write into device memory, so the trainer reads
// them back once per window instead of waiting after every step.

#include "cudacontext.h"

#include "../backend.h"

#include <span>

namespace nc::engine::cuda {

Status recordStepMetrics(CudaContext& context, std::span<const WeightedLoss> losses,
                         const Tensor* logits, const Tensor* labels, Tensor& log,
                         const Tensor& stepValues);
Status noteNonFinite(CudaContext& context, const Tensor& t, std::int64_t code,
                     std::int64_t codesPerSlot, const Tensor& stepValues, Tensor& firstBad);

} // namespace nc::engine::cuda
