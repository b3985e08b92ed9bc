#include "cudacontext.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace nc::engine::cuda {

namespace {

constexpr std::size_t kPinnedSlots = 4;

} // namespace

Result<std::shared_ptr<CudaContext>> CudaContext::create(int index) {
    std::shared_ptr<CudaContext> context(new CudaContext());
    if (Status s = context->init(index); !s)
        return s;
    return context;
}

Status CudaContext::init(int index) {
    m_index = index;
    if (Status s = check(cudaSetDevice(index), "cudaSetDevice"); !s)
        return s;
    cudaDeviceProp properties{};
    if (Status s = check(cudaGetDeviceProperties(&properties, index), "cudaGetDeviceProperties");
        !s)
        return s;
    m_name = properties.name;
    // Freed blocks stay in the pool for the next batch instead of going back to the driver.
    cudaMemPool_t pool = nullptr;
    if (Status s = check(cudaDeviceGetDefaultMemPool(&pool, index), "cudaDeviceGetDefaultMemPool");
        !s)
        return s;
    std::uint64_t keep = std::numeric_limits<std::uint64_t>::max();
    if (Status s = check(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep),
                         "cudaMemPoolSetAttribute");
        !s)
        return s;
    if (Status s = check(cudaStreamCreateWithFlags(&m_stream, cudaStreamNonBlocking),
                         "cudaStreamCreateWithFlags");
        !s)
        return s;
    if (Status s = check(cudaStreamCreateWithFlags(&m_sideStream, cudaStreamNonBlocking),
                         "cudaStreamCreateWithFlags (side stream)");
        !s)
        return s;
    if (Status s = check(cudnnCreate(&m_cudnn), "cudnnCreate"); !s)
        return s;
    if (Status s = check(cudnnSetStream(m_cudnn, m_stream), "cudnnSetStream"); !s)
        return s;
    if (Status s = check(cublasCreate(&m_cublas), "cublasCreate"); !s)
        return s;
    if (Status s = check(cublasSetStream(m_cublas, m_stream), "cublasSetStream"); !s)
        return s;
    // cuBLAS works in the context's workspace (set after the stream, which resets it), so a
    // recorded graph never depends on memory cuBLAS would find for itself while capturing.
    if (Status s = check(cudaMalloc(&m_cublasWorkspace, kCublasWorkspace),
                         "cudaMalloc (cuBLAS workspace)");
        !s)
        return s;
    if (Status s = check(cublasSetWorkspace(m_cublas, m_cublasWorkspace, kCublasWorkspace),
                         "cublasSetWorkspace");
        !s)
        return s;
    const char* tf32 = std::getenv("NETCANVAS_CUDA_TF32");
    m_allowTf32 = tf32 && std::strcmp(tf32, "1") == 0;
    const char* rnn = std::getenv("NETCANVAS_CUDA_RNN");
    m_rnnKernels = rnn && std::strcmp(rnn, "1") == 0;
    const char* graphs = std::getenv("NETCANVAS_CUDA_GRAPHS");
    m_graphs = graphs && std::strcmp(graphs, "1") == 0;
    if (const char* limit = std::getenv("NETCANVAS_CUDA_MEMORY_LIMIT_MB"))
        m_memoryLimit = std::size_t(std::max(0L, std::atol(limit))) << 20;
    if (Status s = check(cublasSetMathMode(m_cublas, m_allowTf32 ? CUBLAS_TF32_TENSOR_OP_MATH
                                                                 : CUBLAS_PEDANTIC_MATH),
                         "cublasSetMathMode");
        !s)
        return s;
    const char* copyStream = std::getenv("NETCANVAS_CUDA_COPY_STREAM");
    if (!copyStream || std::strcmp(copyStream, "0") != 0)
        if (Status s = m_copyStream.init(); !s)
            return s;
    m_pinned.resize(kPinnedSlots);
    for (PinnedSlot& slot : m_pinned)
        if (Status s = check(cudaEventCreateWithFlags(&slot.done, cudaEventDisableTiming),
                             "cudaEventCreateWithFlags");
            !s)
            return s;
    return Status::ok();
}

CudaContext::~CudaContext() {
    cudaSetDevice(m_index);
    if (m_stream)
        cudaStreamSynchronize(m_stream);
    if (m_sideStream)
        cudaStreamSynchronize(m_sideStream);
    cudaFreeHost(m_sideHost.pointer);
    cudaFree(m_sideDevice.pointer);
    for (DeviceBuffer& b : m_scratch)
        cudaFree(b.pointer);
    cudaFree(m_workspace.pointer);
    cudaFree(m_ones.pointer);
    for (PinnedSlot& slot : m_pinned) {
        cudaFreeHost(slot.pointer);
        if (slot.done)
            cudaEventDestroy(slot.done);
    }
    if (m_cublas)
        cublasDestroy(m_cublas);
    cudaFree(m_cublasWorkspace);
    if (m_cudnn)
        cudnnDestroy(m_cudnn);
    if (m_sideStream)
        cudaStreamDestroy(m_sideStream);
    if (m_stream)
        cudaStreamDestroy(m_stream);
}

void CudaContext::activate() const {
    cudaSetDevice(m_index);
}

void CudaContext::beginRecording() {
    m_recording = true;
    m_refused = false;
}

bool CudaContext::endRecording() {
    m_recording = false;
    for (void* pointer : m_freesAfterRecording)
        release(pointer);
    m_freesAfterRecording.clear();
    if (m_refused)
        (void)takeError(); // the refusal, which the step reported and runs again for
    return !m_refused;
}

Status CudaContext::refusedWhileRecording(const std::string& what) {
    m_refused = true;
    Status refusal = Status::error(what + " while recording a CUDA Graph");
    noteError(refusal);
    return refusal;
}

void* CudaContext::allocate(std::size_t bytes) {
    if (bytes == 0)
        return nullptr;
    if (m_recording) {
        (void)refusedWhileRecording("an allocation of " + formatBytes(double(bytes)));
        return nullptr;
    }
    activate();
    std::unique_lock limitLock(m_limitMutex, std::defer_lock);
    if (m_memoryLimit > 0) {
        limitLock.lock();
        if (m_allocated + bytes > m_memoryLimit) {
            noteError(Status::outOfMemory(
                "out of GPU memory: " + formatBytes(double(bytes)) + " requested, " +
                formatBytes(double(m_allocated)) + " of the " + formatBytes(double(m_memoryLimit)) +
                " NETCANVAS_CUDA_MEMORY_LIMIT_MB allows in use on " + m_name));
            return nullptr;
        }
    }
    void* pointer = nullptr;
    cudaError_t error = cudaMallocAsync(&pointer, bytes, m_stream);
    if (error != cudaSuccess) {
        cudaGetLastError(); // clear it: the op that needed the memory reports it
        std::size_t freeBytes = 0, totalBytes = 0;
        cudaMemGetInfo(&freeBytes, &totalBytes);
        noteError(Status::outOfMemory("out of GPU memory: " + formatBytes(double(bytes)) +
                                      " requested, " + formatBytes(double(freeBytes)) + " of " +
                                      formatBytes(double(totalBytes)) + " free on " + m_name +
                                      " (" + cudaGetErrorString(error) +
                                      "); a smaller batch, or --device cpu, would fit"));
        return nullptr;
    }
    if (m_memoryLimit > 0) {
        m_sizes[pointer] = bytes;
        m_allocated += bytes;
    }
    return pointer;
}

Status CudaContext::releaseCachedMemory() {
    if (m_recording)
        return refusedWhileRecording("freeing cached memory");
    activate();
    if (Status s = check(cudaStreamSynchronize(m_stream), "cudaStreamSynchronize"); !s)
        return s;
    cudaMemPool_t pool = nullptr;
    if (Status s =
            check(cudaDeviceGetDefaultMemPool(&pool, m_index), "cudaDeviceGetDefaultMemPool");
        !s)
        return s;
    return check(cudaMemPoolTrimTo(pool, 0), "cudaMemPoolTrimTo");
}

void CudaContext::release(void* pointer) {
    if (!pointer)
        return;
    if (m_recording) { // a recorded free would run at every replay
        m_refused = true;
        m_freesAfterRecording.push_back(pointer);
        return;
    }
    activate();
    if (m_memoryLimit > 0) {
        std::lock_guard lock(m_limitMutex);
        if (auto it = m_sizes.find(pointer); it != m_sizes.end()) {
            m_allocated -= it->second;
            m_sizes.erase(it);
        }
    }
    cudaFreeAsync(pointer, m_stream);
}

void CudaContext::noteError(Status error) {
    std::lock_guard lock(m_errorMutex);
    if (m_error.isOk())
        std::swap(m_error, error); // nvcc: an assignment would drop a [[nodiscard]] Status&
}

Status CudaContext::takeError() {
    std::lock_guard lock(m_errorMutex);
    return std::exchange(m_error, Status::ok());
}

Result<void*> CudaContext::grow(DeviceBuffer& buffer, std::size_t bytes) {
    if (buffer.bytes >= bytes && buffer.pointer)
        return buffer.pointer;
    release(buffer.pointer);
    buffer = {};
    memoryChanged();
    std::size_t rounded = std::max<std::size_t>(bytes, 256);
    void* pointer = allocate(rounded);
    if (!pointer)
        return takeError();
    buffer = {pointer, rounded};
    return pointer;
}

Result<float*> CudaContext::scratch(int slot, std::int64_t count) {
    if (std::size_t(slot) >= m_scratch.size())
        m_scratch.resize(std::size_t(slot) + 1);
    Result<void*> buffer = grow(m_scratch[std::size_t(slot)], std::size_t(count) * sizeof(float));
    if (!buffer)
        return buffer.status();
    return static_cast<float*>(buffer.value());
}

Result<void*> CudaContext::workspace(std::size_t bytes) {
    if (bytes == 0)
        return static_cast<void*>(nullptr);
    return grow(m_workspace, bytes);
}

Result<const float*> CudaContext::ones(std::int64_t count) {
    if (m_onesCount >= count && m_ones.pointer)
        return static_cast<const float*>(m_ones.pointer);
    Result<void*> buffer = grow(m_ones, std::size_t(count) * sizeof(float));
    if (!buffer)
        return buffer.status();
    std::vector<float> host(std::size_t(count), 1.0f);
    if (Status s = uploadBytes(host.data(), buffer.value(), host.size() * sizeof(float)); !s)
        return s;
    m_onesCount = count;
    return static_cast<const float*>(buffer.value());
}

Status CudaContext::uploadBytes(const void* host, void* device, std::size_t bytes) {
    // Large uploads (a whole dataset) go in pieces through the ring, so no pinned buffer
    // grows past kPinnedChunk and copying one piece overlaps the transfer of the one before.
    constexpr std::size_t kPinnedChunk = std::size_t(16) << 20;
    for (std::size_t done = 0; done < bytes; done += kPinnedChunk)
        if (Status s = uploadChunk(static_cast<const char*>(host) + done,
                                   static_cast<char*>(device) + done,
                                   std::min(kPinnedChunk, bytes - done));
            !s)
            return s;
    return Status::ok();
}

Status CudaContext::uploadChunk(const void* host, void* device, std::size_t bytes) {
    if (m_recording) // a graph would copy what the pinned buffer holds when it is replayed
        return refusedWhileRecording("a copy from the host");
    activate();
    std::lock_guard lock(m_transferMutex);
    PinnedSlot& slot = m_pinned[m_nextPinned];
    m_nextPinned = (m_nextPinned + 1) % m_pinned.size();
    // The slot's previous copy must have left the buffer before it is overwritten.
    if (Status s = check(cudaEventSynchronize(slot.done), "cudaEventSynchronize"); !s)
        return s;
    if (slot.bytes < bytes) {
        cudaFreeHost(slot.pointer);
        slot.pointer = nullptr;
        slot.bytes = 0;
        if (Status s = check(cudaMallocHost(&slot.pointer, bytes), "cudaMallocHost"); !s)
            return s;
        slot.bytes = bytes;
    }
    std::memcpy(slot.pointer, host, bytes);
    if (m_copyStream.canTake(bytes))
        return m_copyStream.copy(slot.pointer, device, bytes, m_stream, slot.done);
    if (Status s =
            check(cudaMemcpyAsync(device, slot.pointer, bytes, cudaMemcpyHostToDevice, m_stream),
                  "cudaMemcpyAsync (host to device)");
        !s)
        return s;
    return check(cudaEventRecord(slot.done, m_stream), "cudaEventRecord");
}

Status CudaContext::downloadBytes(const void* device, void* host, std::size_t bytes) {
    if (bytes == 0)
        return Status::ok();
    if (m_recording)
        return refusedWhileRecording("a copy to the host");
    activate();
    if (Status s = check(cudaMemcpyAsync(host, device, bytes, cudaMemcpyDeviceToHost, m_stream),
                         "cudaMemcpyAsync (device to host)");
        !s)
        return s;
    return check(cudaStreamSynchronize(m_stream), "cudaStreamSynchronize");
}

} // namespace nc::engine::cuda

namespace nc::engine::cuda {

std::optional<CudaContext::SideBuffers> CudaContext::takeSideBuffers(std::size_t bytes) {
    std::lock_guard lock(m_transferMutex);
    if (m_sideBusy)
        return std::nullopt;
    activate();
    bytes = std::max<std::size_t>(bytes, 256);
    if (m_sideDevice.bytes < bytes) {
        // Not from the pool: the side stream reads it, and the pool would let the compute
        // stream reuse it only after waiting for that stream.
        cudaFree(m_sideDevice.pointer);
        m_sideDevice = {};
        if (cudaMalloc(&m_sideDevice.pointer, bytes) != cudaSuccess) {
            cudaGetLastError(); // no room: the snapshot is downloaded at once instead
            m_sideDevice = {};
            return std::nullopt;
        }
        m_sideDevice.bytes = bytes;
    }
    if (m_sideHost.bytes < bytes) {
        cudaFreeHost(m_sideHost.pointer);
        m_sideHost = {};
        if (cudaMallocHost(&m_sideHost.pointer, bytes) != cudaSuccess) {
            cudaGetLastError();
            m_sideHost = {};
            return std::nullopt;
        }
        m_sideHost.bytes = bytes;
    }
    m_sideBusy = true;
    return SideBuffers{m_sideDevice.pointer, m_sideHost.pointer};
}

void CudaContext::returnSideBuffers() {
    std::lock_guard lock(m_transferMutex);
    m_sideBusy = false;
}

} // namespace nc::engine::cuda
