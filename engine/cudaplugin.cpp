#include "cudaplugin.h"

#include "cuda/plugin.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace nc::engine {

namespace {

constexpr const char* kLibrary = "libnetcanvas_cuda.so";

struct Plugin {
    CudaAvailability availability;
    NcCudaCreateFn create = nullptr;
};

std::vector<std::string> candidatePaths() {
    std::vector<std::string> paths;
    if (const char* explicitPath = std::getenv("NETCANVAS_CUDA_PLUGIN");
        explicitPath && *explicitPath)
        return {explicitPath};
    std::error_code error;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        paths.push_back((exe.parent_path() / kLibrary).string());
        paths.push_back(
            (exe.parent_path().parent_path() / "lib" / "netcanvas" / kLibrary).string());
    }
#ifdef NC_CUDA_PLUGIN_BUILD_PATH
    paths.push_back(NC_CUDA_PLUGIN_BUILD_PATH);
#endif
    return paths;
}

Plugin load() {
    Plugin plugin;
    CudaAvailability& a = plugin.availability;
    std::string lastError;
    void* handle = nullptr;
    for (const std::string& path : candidatePaths()) {
        if (!std::filesystem::exists(path))
            continue;
        handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle) {
            a.pluginPath = path;
            break;
        }
        lastError = dlerror();
    }
    if (!handle) {
        const char* explicitPath = std::getenv("NETCANVAS_CUDA_PLUGIN");
        if (lastError.empty() && explicitPath && *explicitPath)
            lastError = std::string("NETCANVAS_CUDA_PLUGIN names ") + explicitPath +
                        ", which does not exist";
        a.whyNot = lastError.empty()
                       ? "this build has no CUDA backend (built with NETCANVAS_CUDA=OFF or "
                         "without the CUDA toolkit and cuDNN)"
                   : lastError.starts_with("NETCANVAS_CUDA_PLUGIN")
                       ? lastError
                       : "the CUDA backend could not be loaded (a CUDA or cuDNN library "
                         "missing?): " +
                             lastError;
        return plugin;
    }
    auto abi = reinterpret_cast<NcCudaAbiFn>(dlsym(handle, "nc_cuda_abi"));
    auto list = reinterpret_cast<NcCudaListFn>(dlsym(handle, "nc_cuda_list_devices"));
    plugin.create = reinterpret_cast<NcCudaCreateFn>(dlsym(handle, "nc_cuda_create_backend"));
    if (!abi || !list || !plugin.create || abi() != kNcCudaPluginAbi) {
        plugin.create = nullptr;
        a.whyNot = a.pluginPath + " is not this version's CUDA backend";
        return plugin;
    }
    a.loaded = true;
    NcCudaDevice devices[16]{};
    char why[512] = {};
    const int count = list(devices, 16, why, int(sizeof why));
    if (count <= 0) {
        a.whyNot = why[0] ? why : "no CUDA device found";
        return plugin;
    }
    for (int i = 0; i < std::min(count, 16); ++i)
        a.devices.push_back(
            {i, devices[i].name, devices[i].memoryBytes, devices[i].major, devices[i].minor});
    return plugin;
}

const Plugin& plugin() {
    static const Plugin loaded = load();
    return loaded;
}

} // namespace

const CudaAvailability& cudaAvailability() {
    return plugin().availability;
}

Result<std::unique_ptr<Backend>> createCudaBackend(int index) {
    const Plugin& p = plugin();
    if (!p.create || p.availability.devices.empty())
        return Status::error(p.availability.whyNot);
    char why[512] = {};
    Backend* backend = p.create(index, why, int(sizeof why));
    if (!backend)
        return Status::error(why);
    return std::unique_ptr<Backend>(backend);
}

} // namespace nc::engine
