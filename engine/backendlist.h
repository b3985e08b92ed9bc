#pragma once
// The one list of compute backends: what this build and machine can use, and a factory by
// device name. The CLI's --device, the GUI's device chooser and the executor's CPU fallback
// all come through here.
//
//   for (const BackendInfo& b : listBackends()) print(b.device, b.usable, b.whyNot);
//   Result<std::unique_ptr<Backend>> backend = createBackend("cuda:0");

#include "backend.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nc::engine {

struct BackendInfo {
    std::string device;      // "cpu", "cuda:0", or "cuda" when no GPU could be listed
    std::string description; // "CPU, 2 threads", "NVIDIA H100, 80 GB"
    bool usable = false;
    std::string whyNot; // when not usable: no driver, no device, library missing, not built
};

std::vector<BackendInfo> listBackends();

// "cpu", "cuda" or "cuda:N"; a device that cannot be used is refused with the reason.
Result<std::unique_ptr<Backend>> createBackend(std::string_view device);

} // namespace nc::engine
