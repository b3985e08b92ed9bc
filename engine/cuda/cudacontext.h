#pragma once
// One GPU as the CUDA backend uses it: its stream (and a side stream for snapshots), the cuDNN and
// cuBLAS handles bound to that stream, growable device scratch (per slot, like the CPU's
// scratch.h), cuDNN's workspace, pinned staging buffers for host transfers, and the cache of chosen
// convolution algorithms. Work is queued on the one stream, so buffers reused by later ops are safe
// in stream order. Device memory comes from CUDA's stream-ordered pool, which keeps freed blocks
// for reuse.
//
// Storage cannot return a Status, so a failed allocation is remembered here and reported by
// the next op, which names itself (noteError / takeError).

#include "copystream.h"
#include "cudacheck.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nc::engine::cuda {

class CudaContext {
public:
    static Result<std::shared_ptr<CudaContext>> create(int index);
    ~CudaContext();
    CudaContext(const CudaContext&) = delete;
    CudaContext& operator=(const CudaContext&) = delete;

    int index() const { return m_index; }
    const std::string& name() const { return m_name; }
    cudaStream_t stream() const { return m_stream; }
    // A second stream, for copies to the host that training must not wait for (snapshots).
    cudaStream_t sideStream() const { return m_sideStream; }
    cudnnHandle_t cudnn() const { return m_cudnn; }
    cublasHandle_t cublas() const { return m_cublas; }
    // Makes this GPU current on the calling thread (the trainer runs on a worker thread).
    void activate() const;

    // Device memory in stream order; null (and an error noted) when the GPU is full.
    void* allocate(std::size_t bytes);
    void release(void* pointer);
    // Waits for the stream and returns the pool's cached free blocks to the driver (before
    // work that allocates outside the pool, like cudnnFind).
    Status releaseCachedMemory();

    // Allocation failures since the last call, as one error (ok when none); the first one
    // noted is kept, with its kind (out of memory).
    void noteError(Status error);
    Status takeError();

    // A device buffer for the duration of one op: at least `count` floats, per slot.
    Result<float*> scratch(int slot, std::int64_t count);
    // cuDNN's workspace, at least `bytes`.
    Result<void*> workspace(std::size_t bytes);
    // A buffer of `count` ones (bias gradients through GEMV).
    Result<const float*> ones(std::int64_t count);

    // Host -> device through pinned memory, queued on the stream: the host data is copied
    // into a pinned buffer at once, so the caller may reuse it when this returns. Pieces of
    // 1 MB and more travel on the copy stream, overlapped with the work queued before them.
    Status uploadBytes(const void* host, void* device, std::size_t bytes);
    // Device -> host; waits for the stream.
    Status downloadBytes(const void* device, void* host, std::size_t bytes);
    // The buffers of one side-stream copy (SideDownload): device staging and pinned host
    // memory, each of at least `bytes`, kept from one copy to the next (so the pool never
    // hands the compute stream memory the side stream still reads, and pinned memory is not
    // freed, which can stall the device). Null while another copy holds them, or when there is
    // no room for them: the caller then copies at once instead.
    struct SideBuffers {
        void* device = nullptr;
        void* host = nullptr;
    };
    std::optional<SideBuffers> takeSideBuffers(std::size_t bytes);
    // Called once the copy has landed.
    void returnSideBuffers();

    // Recording a CUDA Graph (cudagraph.h): while it lasts, work that cannot be recorded is
    // refused (allocations, host transfers, waits: refusedWhileRecording() says so) and frees
    // wait for the recording's end, so nothing recorded can point at memory that went away.
    void beginRecording();
    // Ends it; true when nothing was refused meanwhile. Errors noted because of a refusal are
    // dropped: the work runs again, not recorded.
    bool endRecording();
    bool recording() const { return m_recording; }
    // Counts changes to memory the context keeps for ops (scratch, workspace, the ones, chunk
    // tables): a graph recorded at another count reads memory that moved or changed.
    std::uint64_t generation() const { return m_generation; }
    void memoryChanged() { ++m_generation; }

    // Convolution algorithms chosen by cudnnFind, per shape key.
    std::map<std::string, int>& algorithms() { return m_algorithms; }
    // Strict FP32 unless NETCANVAS_CUDA_TF32=1 allows TF32 tensor cores.
    bool allowTf32() const { return m_allowTf32; }
    // cuDNN's RNN kernels (recurrent.cu) run only with NETCANVAS_CUDA_RNN=1 until a GPU has
    // checked them against the CPU; otherwise recurrent layers run on the CPU.
    bool rnnKernels() const { return m_rnnKernels; }
    // Training steps are recorded as CUDA Graphs (cudagraph.h) only with NETCANVAS_CUDA_GRAPHS=1
    // until a GPU has checked them against steps run as queued.
    bool graphs() const { return m_graphs; }

private:
    CudaContext() = default;
    Status init(int index);

    struct DeviceBuffer {
        void* pointer = nullptr;
        std::size_t bytes = 0;
    };
    struct PinnedSlot {
        void* pointer = nullptr;
        std::size_t bytes = 0;
        cudaEvent_t done = nullptr;
    };
    Result<void*> grow(DeviceBuffer& buffer, std::size_t bytes);
    // While recording: notes that `what` was refused, as an error naming it.
    Status refusedWhileRecording(const std::string& what);
    Status uploadChunk(const void* host, void* device, std::size_t bytes);

    int m_index = 0;
    std::string m_name;
    cudaStream_t m_stream = nullptr;
    cudaStream_t m_sideStream = nullptr;
    cudnnHandle_t m_cudnn = nullptr;
    cublasHandle_t m_cublas = nullptr;
    // 32 MB: what NVIDIA advises for cuBLAS on Hopper.
    static constexpr std::size_t kCublasWorkspace = std::size_t(32) << 20;
    void* m_cublasWorkspace = nullptr;
    bool m_allowTf32 = false;
    bool m_rnnKernels = false;
    bool m_graphs = false;
    CopyStream m_copyStream; // large uploads; unusable when NETCANVAS_CUDA_COPY_STREAM=0
    std::vector<DeviceBuffer> m_scratch;
    DeviceBuffer m_workspace, m_ones;
    std::int64_t m_onesCount = 0;
    std::mutex m_transferMutex; // the pinned ring, if two threads transfer at once
    std::vector<PinnedSlot> m_pinned;
    std::size_t m_nextPinned = 0;
    DeviceBuffer m_sideDevice, m_sideHost; // SideBuffers, and whether a copy holds them
    bool m_sideBusy = false;
    std::map<std::string, int> m_algorithms;
    bool m_recording = false;
    bool m_refused = false;
    std::vector<void*> m_freesAfterRecording;
    std::uint64_t m_generation = 0;
    // NETCANVAS_CUDA_MEMORY_LIMIT_MB: pool memory beyond this counts as out of memory, so the
    // fallback to the CPU can be tried on any GPU (0: no limit).
    std::size_t m_memoryLimit = 0;
    std::size_t m_allocated = 0;
    std::unordered_map<void*, std::size_t> m_sizes;
    std::mutex m_limitMutex;
    std::mutex m_errorMutex;
    Status m_error = Status::ok();
};

} // namespace nc::engine::cuda
