#pragma once
// Where a tensor's memory lives: the host (CPU) or one GPU. Backends own the memory of their
// device; a Tensor carries the Device and a Storage handle (tensor.h).
//
//   Device d = Device::cuda(1);   d.text() == "cuda:1"
//   Result<Device> parsed = parseDevice("cuda:0");

#include "core/status.h"

#include <string>
#include <string_view>

namespace nc::engine {

struct Device {
    enum class Kind { Cpu, Cuda };
    Kind kind = Kind::Cpu;
    int index = 0; // which GPU; always 0 for the CPU

    static Device cpu() { return {}; }
    static Device cuda(int index) { return {Kind::Cuda, index}; }
    bool isCpu() const { return kind == Kind::Cpu; }
    std::string text() const; // "cpu", "cuda:0"
    bool operator==(const Device&) const = default;
};

// "cpu", "cuda" (= cuda:0) or "cuda:N"; anything else is refused with the accepted forms.
nc::core::Result<Device> parseDevice(std::string_view text);

} // namespace nc::engine
