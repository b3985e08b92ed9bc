// Fuzzes the safetensors reader: any bytes must give tensors or an error, never a crash, a
// hang or an allocation larger than the input can justify.

#include "engine/safetensors.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto file = nc::engine::readSafetensorsBytes(bytes, "fuzz");
    if (!file.isOk())
        return 0;
    std::uint64_t floats = 0;
    for (const auto& [name, tensor] : file.value().tensors)
        floats += std::uint64_t(tensor.size());
    if (floats * sizeof(float) > size) // every tensor's bytes come from the input
        std::abort();
    return 0;
}
