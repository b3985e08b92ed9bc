#pragma once
// A copy to the host that training does not wait for (Backend::downloadLater on a GPU): the
// tensor is first copied within the device on the compute stream, a short copy that later
// steps cannot disturb; the long copy over the bus then runs on the side stream into pinned
// memory while the compute stream goes on. Weight snapshots go this way. The two buffers are
// the context's (CudaContext::takeSideBuffers), held until the copy has landed.

#include "cudacontext.h"

#include "../backend.h"

namespace nc::engine::cuda {

class SideDownload final : public PendingDownload {
public:
    // Queues the copy of `t` through `buffers`, which it gives back when done.
    static Result<std::unique_ptr<PendingDownload>>
    start(std::shared_ptr<CudaContext> context, const Tensor& t, CudaContext::SideBuffers buffers);
    ~SideDownload() override;
    SideDownload(const SideDownload&) = delete;
    SideDownload& operator=(const SideDownload&) = delete;

    bool ready() override;
    Result<Tensor> take() override;

private:
    SideDownload(std::shared_ptr<CudaContext> context, Dims dims, CudaContext::SideBuffers buffers)
        : m_context(std::move(context)), m_dims(std::move(dims)), m_buffers(buffers) {}
    Status enqueue(const Tensor& t);

    std::shared_ptr<CudaContext> m_context;
    Dims m_dims;
    CudaContext::SideBuffers m_buffers;
    std::size_t m_bytes = 0;
    cudaEvent_t m_copied = nullptr, m_landed = nullptr;
    bool m_enqueued = false; // every step queued; otherwise both streams are waited for
};

} // namespace nc::engine::cuda
