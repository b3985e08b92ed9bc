// Fuzzes the ONNX importer: any bytes must give a graph or an error that names the file, never
// a crash, a hang, undefined behaviour or a read past a tensor's end; every imported weight
// holds values that came from the input (no more floats than the input has bytes for).

#include "engine/export/onnximport.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto imported = nc::engine::importOnnx(bytes, "fuzz.onnx");
    if (!imported.isOk()) {
        if (imported.message().rfind("fuzz.onnx: ", 0) != 0)
            std::abort(); // a refusal names the file
        return 0;
    }
    std::uint64_t floats = 0;
    for (const auto& [name, tensor] : imported.value().weights)
        floats += std::uint64_t(tensor.size());
    // Recurrent biases absent from the file are written as zeros: at most 8 x 2^16 per layer.
    if (floats > size * 2 + (std::uint64_t(1) << 24))
        std::abort();
    return 0;
}
