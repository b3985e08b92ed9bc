#include "copystream.h"

namespace nc::engine::cuda {

Status CopyStream::init() {
    if (Status s = check(cudaStreamCreateWithFlags(&m_stream, cudaStreamNonBlocking),
                         "cudaStreamCreateWithFlags (copy stream)");
        !s)
        return s;
    for (Stage& stage : m_stages)
        for (cudaEvent_t* event : {&stage.filled, &stage.consumed})
            if (Status s = check(cudaEventCreateWithFlags(event, cudaEventDisableTiming),
                                 "cudaEventCreateWithFlags");
                !s)
                return s;
    return Status::ok();
}

CopyStream::~CopyStream() {
    if (m_stream)
        cudaStreamSynchronize(m_stream);
    for (Stage& stage : m_stages) {
        if (stage.consumed)
            cudaEventSynchronize(stage.consumed);
        cudaFree(stage.pointer);
        for (cudaEvent_t event : {stage.filled, stage.consumed})
            if (event)
                cudaEventDestroy(event);
    }
    if (m_stream)
        cudaStreamDestroy(m_stream);
}

Status CopyStream::reserve(Stage& stage, std::size_t bytes) {
    if (stage.bytes >= bytes)
        return Status::ok();
    // The old buffer may still be read by a queued move; cudaFree waits for the device anyway.
    if (Status s = check(cudaEventSynchronize(stage.consumed), "cudaEventSynchronize"); !s)
        return s;
    cudaFree(stage.pointer);
    stage.pointer = nullptr;
    stage.bytes = 0;
    if (Status s = check(cudaMalloc(&stage.pointer, bytes), "cudaMalloc (upload staging)"); !s)
        return s;
    stage.bytes = bytes;
    return Status::ok();
}

bool CopyStream::canTake(std::size_t bytes) {
    if (!m_stream || bytes < kMinBytes)
        return false;
    if (reserve(m_stages[m_next], bytes))
        return true;
    cudaGetLastError(); // no room for the staging buffer: the direct path needs none
    return false;
}

Status CopyStream::copy(const void* pinned, void* device, std::size_t bytes, cudaStream_t compute,
                        cudaEvent_t pinnedFree) {
    Stage& stage = m_stages[m_next];
    m_next = 1 - m_next;
    if (Status s = reserve(stage, bytes); !s)
        return s;
    // The stage's previous contents must have been moved out before the transfer overwrites it.
    if (Status s = check(cudaStreamWaitEvent(m_stream, stage.consumed, 0), "cudaStreamWaitEvent");
        !s)
        return s;
    if (Status s =
            check(cudaMemcpyAsync(stage.pointer, pinned, bytes, cudaMemcpyHostToDevice, m_stream),
                  "cudaMemcpyAsync (host to device, copy stream)");
        !s)
        return s;
    for (cudaEvent_t event : {pinnedFree, stage.filled})
        if (Status s = check(cudaEventRecord(event, m_stream), "cudaEventRecord"); !s)
            return s;
    if (Status s = check(cudaStreamWaitEvent(compute, stage.filled, 0), "cudaStreamWaitEvent"); !s)
        return s;
    if (Status s =
            check(cudaMemcpyAsync(device, stage.pointer, bytes, cudaMemcpyDeviceToDevice, compute),
                  "cudaMemcpyAsync (staged upload, within the device)");
        !s)
        return s;
    return check(cudaEventRecord(stage.consumed, compute), "cudaEventRecord");
}

} // namespace nc::engine::cuda
