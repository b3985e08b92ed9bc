#include "sidedownload.h"

#include <cstring>

namespace nc::engine::cuda {

Result<std::unique_ptr<PendingDownload>> SideDownload::start(std::shared_ptr<CudaContext> context,
                                                             const Tensor& t) {
    std::unique_ptr<SideDownload> download(new SideDownload(std::move(context), t.dims()));
    if (Status s = download->enqueue(t); !s)
        return s;
    return std::unique_ptr<PendingDownload>(std::move(download));
}

Status SideDownload::enqueue(const Tensor& t) {
    CudaContext& context = *m_context;
    context.activate();
    m_bytes = std::size_t(t.size()) * sizeof(float);
    for (cudaEvent_t* event : {&m_copied, &m_landed})
        if (Status s = check(cudaEventCreateWithFlags(event, cudaEventDisableTiming),
                             "cudaEventCreateWithFlags");
            !s)
            return s;
    if (m_bytes == 0) {
        m_enqueued = true;
        return check(cudaEventRecord(m_landed, context.sideStream()), "cudaEventRecord");
    }
    m_staging = context.allocate(m_bytes);
    if (!m_staging)
        return context.takeError();
    Result<void*> pinned = context.takePinned(m_bytes);
    if (!pinned)
        return pinned.status();
    m_host = pinned.value();
    cudaStream_t compute = context.stream(), side = context.sideStream();
    if (Status s =
            check(cudaMemcpyAsync(m_staging, t.data(), m_bytes, cudaMemcpyDeviceToDevice, compute),
                  "cudaMemcpyAsync (snapshot, within the device)");
        !s)
        return s;
    if (Status s = check(cudaEventRecord(m_copied, compute), "cudaEventRecord"); !s)
        return s;
    if (Status s = check(cudaStreamWaitEvent(side, m_copied, 0), "cudaStreamWaitEvent"); !s)
        return s;
    if (Status s = check(cudaMemcpyAsync(m_host, m_staging, m_bytes, cudaMemcpyDeviceToHost, side),
                         "cudaMemcpyAsync (snapshot, device to host)");
        !s)
        return s;
    context.releaseAfter(m_staging, side);
    m_staging = nullptr;
    if (Status s = check(cudaEventRecord(m_landed, side), "cudaEventRecord"); !s)
        return s;
    m_enqueued = true;
    return Status::ok();
}

SideDownload::~SideDownload() {
    m_context->activate();
    // The pinned buffer goes back for reuse only once no copy writes into it.
    if (m_enqueued)
        cudaEventSynchronize(m_landed);
    else
        cudaStreamSynchronize(m_context->sideStream());
    m_context->release(m_staging);
    m_context->givePinned(m_host, m_bytes);
    for (cudaEvent_t event : {m_copied, m_landed})
        if (event)
            cudaEventDestroy(event);
}

bool SideDownload::ready() {
    m_context->activate();
    return cudaEventQuery(m_landed) != cudaErrorNotReady; // an error: take() reports it
}

Result<Tensor> SideDownload::take() {
    m_context->activate();
    if (Status s = check(cudaEventSynchronize(m_landed), "cudaEventSynchronize (snapshot)"); !s)
        return s;
    Tensor host(m_dims);
    if (m_bytes > 0)
        std::memcpy(host.data(), m_host, m_bytes);
    return host;
}

} // namespace nc::engine::cuda
