#pragma once
// Host -> device copies on a stream of their own, so that a batch travels over the bus while
// the compute stream still runs the step before it. The copy lands in one of two device
// staging buffers; when the compute stream reaches the upload it waits for that copy and
// moves the data into place with a copy within the device (microseconds). Stream order on
// the compute stream is as if the upload had been queued there. CudaContext sends uploads
// of kMinBytes and more this way; NETCANVAS_CUDA_COPY_STREAM=0 turns it off.

#include "cudacheck.h"

namespace nc::engine::cuda {

class CopyStream {
public:
    static constexpr std::size_t kMinBytes = std::size_t(1) << 20;

    CopyStream() = default;
    ~CopyStream();
    CopyStream(const CopyStream&) = delete;
    CopyStream& operator=(const CopyStream&) = delete;

    Status init();
    // Whether the next copy of `bytes` can go this way: the stream is there and its staging
    // buffer has (or now gets) the room; false leaves the upload to the compute stream.
    bool canTake(std::size_t bytes);
    // Queues pinned -> device: the transfer on the copy stream, the move into `device` on
    // `compute`. `pinnedFree` is recorded once the pinned buffer may be written again.
    Status copy(const void* pinned, void* device, std::size_t bytes, cudaStream_t compute,
                cudaEvent_t pinnedFree);

private:
    struct Stage {
        void* pointer = nullptr;
        std::size_t bytes = 0;
        cudaEvent_t filled = nullptr;   // the transfer into it is done (copy stream)
        cudaEvent_t consumed = nullptr; // the move out of it is done (compute stream)
    };
    Status reserve(Stage& stage, std::size_t bytes);

    cudaStream_t m_stream = nullptr;
    Stage m_stages[2];
    int m_next = 0;
};

} // namespace nc::engine::cuda
