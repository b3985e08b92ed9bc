// Fuzzes the IDX reader (MNIST files, raw or gzip) as an image file and as a label file: any
// bytes give an array whose size matches its header, or an error; never a crash, and never
// more inflated than the header announces.

#include "engine/data/idx.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    for (int rank : {1, 3}) {
        auto array = nc::engine::readIdxBytes(bytes, rank, "fuzz");
        if (!array.isOk())
            continue;
        std::uint64_t count = 1;
        for (std::uint32_t d : array.value().dims)
            count *= d;
        if (array.value().dims.size() != std::size_t(rank) ||
            array.value().values.size() != count || count > nc::engine::kMaxIdxValues)
            std::abort();
    }
    return 0;
}
