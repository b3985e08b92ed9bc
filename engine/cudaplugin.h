#pragma once
// Finds and loads the CUDA backend plugin (libnetcanvas_cuda.so) at run time, once per
// process. Without it, or without a driver or a GPU, everything runs on the CPU and the
// reason is kept for the user (`netcanvas-cli devices`, the device chooser).
//
// The plugin is looked for in $NETCANVAS_CUDA_PLUGIN, next to the program, in
// ../lib/netcanvas/ beside it (installed), and where this build put it.

#include "backend.h"

#include <memory>
#include <string>
#include <vector>

namespace nc::engine {

struct CudaDeviceInfo {
    int index = 0;
    std::string name;
    unsigned long long memoryBytes = 0;
    int major = 0, minor = 0;
};

struct CudaAvailability {
    bool loaded = false;    // the plugin and its libraries (cuDNN, cuBLAS) loaded
    std::string pluginPath; // which file, when loaded
    std::vector<CudaDeviceInfo> devices;
    std::string whyNot; // when there are no usable devices
};

const CudaAvailability& cudaAvailability();

Result<std::unique_ptr<Backend>> createCudaBackend(int index);

} // namespace nc::engine
