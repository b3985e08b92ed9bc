#pragma once
// A copy to the host that training does not wait for (Backend::downloadLater on a GPU): the
// tensor is first copied within the device on the compute stream, a short copy that later
// steps cannot disturb; the long copy over the bus then runs on the side stream into pinned
// memory while the compute stream goes on. Weight snapshots go this way.

#include "cudacontext.h"

#include "../backend.h"

namespace nc::engine::cuda {

class SideDownload final : public PendingDownload {
public:
    static Result<std::unique_ptr<PendingDownload>> start(std::shared_ptr<CudaContext> context,
                                                          const Tensor& t);
    ~SideDownload() override;
    SideDownload(const SideDownload&) = delete;
    SideDownload& operator=(const SideDownload&) = delete;

    bool ready() override;
    Result<Tensor> take() override;

private:
    SideDownload(std::shared_ptr<CudaContext> context, Dims dims)
        : m_context(std::move(context)), m_dims(std::move(dims)) {}
    Status enqueue(const Tensor& t);

    std::shared_ptr<CudaContext> m_context;
    Dims m_dims;
    std::size_t m_bytes = 0;
    void* m_staging = nullptr; // the device copy, until the side stream takes it over
    void* m_host = nullptr;    // pinned
    cudaEvent_t m_copied = nullptr, m_landed = nullptr;
    bool m_enqueued = false; // every step queued; otherwise the side stream is waited for
};

} // namespace nc::engine::cuda
