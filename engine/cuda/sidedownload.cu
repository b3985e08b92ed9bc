#include "sidedownload.h"

#include <cstring>

namespace nc::engine::cuda {

Result<std::unique_ptr<PendingDownload>> SideDownload::start(std::shared_ptr<CudaContext> context,
                                                             const Tensor& t,
                                                             CudaContext::SideBuffers buffers) {
    std::unique_ptr<SideDownload> download(new SideDownload(std::move(context), t.dims(), buffers));
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
    cudaStream_t compute = context.stream(), side = context.sideStream();
    if (m_bytes > 0) {
        if (Status s = check(cudaMemcpyAsync(m_buffers.device, t.data(), m_bytes,
                                             cudaMemcpyDeviceToDevice, compute),
                             "cudaMemcpyAsync (snapshot, within the device)");
            !s)
            return s;
        if (Status s = check(cudaEventRecord(m_copied, compute), "cudaEventRecord"); !s)
            return s;
        if (Status s = check(cudaStreamWaitEvent(side, m_copied, 0), "cudaStreamWaitEvent"); !s)
            return s;
        if (Status s = check(cudaMemcpyAsync(m_buffers.host, m_buffers.device, m_bytes,
                                             cudaMemcpyDeviceToHost, side),
                             "cudaMemcpyAsync (snapshot, device to host)");
            !s)
            return s;
    }
    if (Status s = check(cudaEventRecord(m_landed, side), "cudaEventRecord"); !s)
        return s;
    m_enqueued = true;
    return Status::ok();
}

SideDownload::~SideDownload() {
    m_context->activate();
    // The buffers go back for the next copy only once no copy uses them.
    if (m_enqueued) {
        cudaEventSynchronize(m_landed);
    } else {
        cudaStreamSynchronize(m_context->stream());
        cudaStreamSynchronize(m_context->sideStream());
    }
    m_context->returnSideBuffers();
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
        std::memcpy(host.data(), m_buffers.host, m_bytes);
    return host;
}

} // namespace nc::engine::cuda
