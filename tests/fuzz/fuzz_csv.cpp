// Fuzzes the CSV dataset reader: the first byte picks the feature count the Input expects,
// the rest is the file. Any text gives a dataset of that width, with a line for every sample,
// or an error naming a line; never a crash.

#include "engine/data/loaders.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::int64_t features = 1 + data[0] % 8;
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    auto set = nc::engine::readCsvBytes(text, "fuzz.csv", features);
    if (!set.isOk()) {
        if (set.message().rfind("fuzz.csv", 0) != 0) // every message names the file
            std::abort();
        return 0;
    }
    const nc::engine::Dataset& d = set.value();
    if (d.sampleDims() != nc::engine::Dims{features} ||
        (!d.sourceLines || std::int64_t(d.sourceLines->size()) != d.size()))
        std::abort();
    nc::core::Status labels = nc::engine::checkClassLabels(d, 10);
    if (!labels.isOk() && labels.message().rfind("fuzz.csv:", 0) != 0)
        std::abort();
    return 0;
}
