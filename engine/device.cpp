#include "device.h"

#include "core/numberparse.h"

namespace nc::engine {

std::string Device::text() const {
    return isCpu() ? std::string("cpu") : "cuda:" + std::to_string(index);
}

nc::core::Result<Device> parseDevice(std::string_view text) {
    if (text == "cpu")
        return Device::cpu();
    if (text == "cuda")
        return Device::cuda(0);
    if (text.starts_with("cuda:")) {
        auto index = nc::core::parseInt64(text.substr(5),
                                          "the GPU number in \"" + std::string(text) + "\"", 0, 63);
        if (!index)
            return index.status();
        return Device::cuda(int(index.value()));
    }
    return nc::core::Status::error("unknown device \"" + std::string(text) +
                                   "\" (cpu, cuda or cuda:N)");
}

} // namespace nc::engine
