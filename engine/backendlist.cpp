#include "backendlist.h"

#include "cpu/cpubackend.h"
#include "threading.h"

namespace nc::engine {

namespace {

// Until the CUDA plugin exists, every CUDA device is refused with this reason.
constexpr const char* kNoCudaBackend =
    "this build has no CUDA backend yet; use --device cpu";

} // namespace

std::vector<BackendInfo> listBackends() {
    return {
        {"cpu", "CPU, " + std::to_string(defaultThreadCount()) + " threads", true, {}},
        {"cuda", "NVIDIA GPUs", false, kNoCudaBackend},
    };
}

Result<std::unique_ptr<Backend>> createBackend(std::string_view device) {
    Result<Device> parsed = parseDevice(device);
    if (!parsed)
        return parsed.status();
    if (parsed.value().isCpu())
        return std::unique_ptr<Backend>(std::make_unique<CpuBackend>());
    return Status::error("--device " + std::string(device) + ": " + kNoCudaBackend);
}

} // namespace nc::engine
