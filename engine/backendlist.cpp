#include "backendlist.h"

#include "cpu/cpubackend.h"
#include "cudaplugin.h"
#include "threading.h"

#include <cstdio>

namespace nc::engine {

namespace {

std::string describe(const CudaDeviceInfo& d) {
    char memory[32];
    std::snprintf(memory, sizeof memory, "%.0f GB", double(d.memoryBytes) / 1e9);
    return d.name + ", " + memory + ", compute " + std::to_string(d.major) + "." +
           std::to_string(d.minor);
}

} // namespace

std::vector<BackendInfo> listBackends() {
    std::vector<BackendInfo> list{
        {"cpu", "CPU, " + std::to_string(defaultThreadCount()) + " threads", true, {}}};
    const CudaAvailability& cuda = cudaAvailability();
    if (cuda.devices.empty())
        list.push_back({"cuda", "NVIDIA GPUs", false, cuda.whyNot});
    for (const CudaDeviceInfo& d : cuda.devices)
        list.push_back({Device::cuda(d.index).text(), describe(d), true, {}});
    return list;
}

Result<std::unique_ptr<Backend>> createBackend(std::string_view device) {
    Result<Device> parsed = parseDevice(device);
    if (!parsed)
        return parsed.status();
    if (parsed.value().isCpu())
        return std::unique_ptr<Backend>(std::make_unique<CpuBackend>());
    Result<std::unique_ptr<Backend>> cuda = createCudaBackend(parsed.value().index);
    if (!cuda)
        return Status::error("--device " + std::string(device) + ": " + cuda.message() +
                             "; use --device cpu");
    return cuda;
}

} // namespace nc::engine
