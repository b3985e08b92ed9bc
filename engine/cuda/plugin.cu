// The plugin's exported entry points (plugin.h).

#include "plugin.h"

#include "cudabackend.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace {

void writeReason(const std::string& text, char* out, int capacity) {
    if (!out || capacity <= 0)
        return;
    const std::size_t n = std::min(text.size(), std::size_t(capacity - 1));
    std::memcpy(out, text.data(), n);
    out[n] = '\0';
}

// Why no GPU can be used, in the words a user needs.
std::string reasonFor(cudaError_t error) {
    switch (error) {
    case cudaErrorNoDevice:
        return "no CUDA device found";
    case cudaErrorInsufficientDriver:
        return "no NVIDIA driver, or one too old for CUDA " + std::to_string(CUDART_VERSION / 1000) +
               "." + std::to_string(CUDART_VERSION % 1000 / 10);
    default:
        return std::string("CUDA is unavailable: ") + cudaGetErrorString(error);
    }
}

} // namespace

extern "C" __attribute__((visibility("default"))) int nc_cuda_abi(void) {
    return kNcCudaPluginAbi;
}

extern "C" __attribute__((visibility("default"))) int
nc_cuda_list_devices(NcCudaDevice* devices, int capacity, char* why, int whyCapacity) {
    int count = 0;
    cudaError_t error = cudaGetDeviceCount(&count);
    if (error != cudaSuccess || count == 0) {
        cudaGetLastError();
        writeReason(reasonFor(error == cudaSuccess ? cudaErrorNoDevice : error), why, whyCapacity);
        return -1;
    }
    for (int i = 0; i < std::min(count, capacity); ++i) {
        cudaDeviceProp p{};
        if (cudaGetDeviceProperties(&p, i) != cudaSuccess)
            continue;
        NcCudaDevice& d = devices[i];
        writeReason(p.name, d.name, int(sizeof d.name));
        d.memoryBytes = p.totalGlobalMem;
        d.major = p.major;
        d.minor = p.minor;
    }
    return count;
}

extern "C" __attribute__((visibility("default"))) nc::engine::Backend*
nc_cuda_create_backend(int index, char* why, int whyCapacity) {
    int count = 0;
    if (cudaError_t error = cudaGetDeviceCount(&count); error != cudaSuccess || count == 0) {
        cudaGetLastError();
        writeReason(reasonFor(error == cudaSuccess ? cudaErrorNoDevice : error), why, whyCapacity);
        return nullptr;
    }
    if (index < 0 || index >= count) {
        writeReason("there is no cuda:" + std::to_string(index) + "; this machine has " +
                        std::to_string(count) + " GPU" + (count == 1 ? "" : "s") + " (cuda:0" +
                        (count > 1 ? "..cuda:" + std::to_string(count - 1) : "") + ")",
                    why, whyCapacity);
        return nullptr;
    }
    auto context = nc::engine::cuda::CudaContext::create(index);
    if (!context) {
        writeReason(context.message(), why, whyCapacity);
        return nullptr;
    }
    return new nc::engine::cuda::CudaBackend(std::move(context).value());
}
