#pragma once
// The CUDA backend: cuDNN, cuBLAS and own kernels on one GPU (kernels.h lists the ops), its
// memory (CudaStorage from a stream-ordered pool), host transfers through pinned buffers, and
// the fused optimizer step. Made by the plugin's entry point (plugin.h), never directly.

#include "chunktable.h"
#include "cudacontext.h"
#include "elementwise.h"
#include "optimizerstep.h"

#include "../backend.h"

namespace nc::engine::cuda {

class CudaBackend final : public Backend {
public:
    explicit CudaBackend(std::shared_ptr<CudaContext> context);
    ~CudaBackend() override;

    std::string name() const override;
    Device device() const override { return Device::cuda(m_context->index()); }

    bool supportsOp(OpKind kind) const override;
    Status forward(const OpCall& call) override;
    Status backward(const OpCall& call) override;

    Tensor newTensor() const override;
    Status upload(const Tensor& host, Tensor& target) override;
    Status download(const Tensor& source, Tensor& host) override;
    Status synchronize() override;
    Result<bool> allFinite(const Tensor& t) override;
    Status optimizerStep(const OptimizerRule& rule, std::span<const ParameterSlot> slots) override;
    Status recordStepMetrics(std::span<const WeightedLoss> losses, const Tensor* logits,
                             const Tensor* labels, Tensor& log, const Tensor& stepValues) override;
    Status noteNonFinite(const Tensor& t, std::int64_t code, std::int64_t codesPerSlot,
                         const Tensor& stepValues, Tensor& firstBad) override;
    Status gatherRows(const Tensor& table, std::span<const std::int64_t> rows,
                      Tensor& out) override;
    Status zeroTensors(std::span<Tensor* const> tensors) override;
    Result<std::unique_ptr<PendingDownload>> downloadLater(const Tensor& t) override;
    // CUDA Graphs, with NETCANVAS_CUDA_GRAPHS=1 until a GPU has checked them (cudagraph.h).
    bool canRecord() const override { return m_context->graphs(); }
    Status beginRecording() override;
    Result<std::unique_ptr<RecordedWork>> endRecording() override;

private:
    // Reports allocation failures noted since the last op, and tensors left without memory.
    Status ready(const OpCall& call);
    Status finish(Status status);

    std::shared_ptr<CudaContext> m_context;
    FusedOptimizer m_optimizer;
    DeviceChunkTable<ZeroChunk> m_zeroTable;
    int* m_flag = nullptr; // device int for allFinite
};

} // namespace nc::engine::cuda
