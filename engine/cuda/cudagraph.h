#pragma once
// A training step recorded as a CUDA Graph (Backend::beginRecording/endRecording on a GPU):
// the work queued on the context's stream is captured instead of run, instantiated once, and
// replayed with one launch. It reads the memory it was recorded on, so it is stale once the
// context's own buffers have changed (CudaContext::generation); the caller checks the tensors.

#include "cudacontext.h"

#include "../backend.h"

namespace nc::engine::cuda {

// Starts capturing the context's stream (this thread's work only); an error noted before is
// returned instead.
Status beginGraph(CudaContext& context);
// Ends the capture: the instantiated graph, or null when something was refused or the capture
// broke (nothing was run either way).
Result<std::unique_ptr<RecordedWork>> endGraph(std::shared_ptr<CudaContext> context);

class CudaGraph final : public RecordedWork {
public:
    CudaGraph(std::shared_ptr<CudaContext> context, cudaGraphExec_t graph);
    ~CudaGraph() override;
    CudaGraph(const CudaGraph&) = delete;
    CudaGraph& operator=(const CudaGraph&) = delete;

    Result<bool> replay() override;

private:
    std::shared_ptr<CudaContext> m_context;
    cudaGraphExec_t m_graph = nullptr;
    std::uint64_t m_generation = 0;
};

} // namespace nc::engine::cuda
