#pragma once
// The C entry points of the CUDA backend plugin, libnetcanvas_cuda.so. The engine loads the
// plugin at run time (engine/cudaplugin.cpp) and looks these up by name; nothing else is
// exported. Both sides are built from the same tree, so the Backend it returns shares the
// engine's C++ interface; kNcCudaPluginAbi guards against a stale plugin next to a newer
// program.

namespace nc::engine {
class Backend;
}

inline constexpr int kNcCudaPluginAbi = 1;

extern "C" {

struct NcCudaDevice {
    char name[128];
    unsigned long long memoryBytes;
    int major, minor; // compute capability
};

typedef int (*NcCudaAbiFn)(void);
// Fills up to `capacity` devices and returns how many there are; on failure returns -1 and
// writes why (no driver, driver too old, no device) into `why`.
typedef int (*NcCudaListFn)(NcCudaDevice* devices, int capacity, char* why, int whyCapacity);
// A backend on GPU `index`, owned by the caller; null with `why` written on failure.
typedef nc::engine::Backend* (*NcCudaCreateFn)(int index, char* why, int whyCapacity);

int nc_cuda_abi(void);
int nc_cuda_list_devices(NcCudaDevice* devices, int capacity, char* why, int whyCapacity);
nc::engine::Backend* nc_cuda_create_backend(int index, char* why, int whyCapacity);
}
