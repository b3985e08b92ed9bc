#pragma once
// How much a data spec takes, estimated from the spec and the sizes on disk without reading
// the data, so that a set that would not fit is refused before anything is allocated
// (loadDataset does so for every command and the GUI). Both figures err high.
//
//   Result<DatasetSize> size = estimateDatasetSize("synthetic:digits?count=500", {1, 28, 28});
//   size.value().memoryBytes;     // 500 * (784 + 1) * 4
//   Status fits = checkMemoryFor("synthetic:digits?count=500", size.value().memoryBytes);

#include "../tensor.h"

#include "core/status.h"

#include <cstdint>
#include <string>

namespace nc::engine {

struct DatasetSize {
    // Every sample and target as float32: what an export writes (data.npz) and what a set
    // kept on a GPU takes there.
    std::uint64_t rowBytes = 0;
    // The most host memory loading the set and holding it takes: its rows, or a text's
    // tokens (its windows are not stored), and what a reader holds while it reads.
    std::uint64_t memoryBytes = 0;
};

// `sampleDims`: the graph's Input shape. An unknown kind or a bad query is an error, as
// loadDataset would give; a missing path is an I/O error.
nc::core::Result<DatasetSize> estimateDatasetSize(const std::string& spec, const Dims& sampleDims);

// An error when `bytes` are more than this process has left (core/availablememory.h), naming
// both: "synthetic:digits?count=10000000 needs 31.4 GB of memory, but this machine has 21.3 GB
// available (ask for fewer samples: ?count=N)".
nc::core::Status checkMemoryFor(const std::string& spec, std::uint64_t bytes);

} // namespace nc::engine
