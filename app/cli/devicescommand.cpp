#include "devicescommand.h"

#include "exitcodes.h"

#include "engine/backendlist.h"
#include "engine/cudaplugin.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace nc::cli {

namespace {

const char* const kDevicesHelp =
    "usage: netcanvas-cli devices [--json]\n"
    "\n"
    "Lists the compute devices (cpu, cuda:N) with a description, and says why GPUs cannot be\n"
    "used when they cannot: no CUDA backend in this build, a library missing, no driver, or\n"
    "no GPU. Any usable device can be given to train, probe and bench as --device.\n";

} // namespace

int runDevices(const std::vector<std::string>& args) {
    bool json = false;
    for (const std::string& a : args) {
        if (a == "--help" || a == "-h") {
            std::cout << kDevicesHelp;
            return kExitOk;
        }
        if (a != "--json") {
            std::cerr << "netcanvas-cli devices: unknown option '" << a << "'\n" << kDevicesHelp;
            return kExitUsage;
        }
        json = true;
    }
    const auto backends = nc::engine::listBackends();
    const auto& cuda = nc::engine::cudaAvailability();
    if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& b : backends)
            out.push_back({{"device", b.device},
                           {"description", b.description},
                           {"usable", b.usable},
                           {"why_not", b.whyNot}});
        std::cout << nlohmann::json{{"devices", out},
                                    {"cuda_plugin", cuda.pluginPath},
                                    {"cuda_plugin_loaded", cuda.loaded}}
                         .dump(2)
                  << '\n';
        return kExitOk;
    }
    for (const auto& b : backends) {
        std::cout << (b.usable ? "  " : "- ") << b.device << "  " << b.description;
        if (!b.usable)
            std::cout << ": unavailable, " << b.whyNot;
        std::cout << '\n';
    }
    if (cuda.loaded)
        std::cout << "CUDA backend: " << cuda.pluginPath << '\n';
    return kExitOk;
}

} // namespace nc::cli
