#pragma once
// How many bytes a data spec will take in memory once loaded (samples and targets as
// float32), estimated from the spec and the sizes on disk without reading the data, so that
// a command can refuse a set that would not fit before it loads anything. The estimate errs
// high: a set it passes may still be checked against the real size once loaded.
//
//   Result<std::uint64_t> bytes = estimateDatasetBytes("synthetic:digits?count=500", {1, 28, 28});

#include "../tensor.h"

#include "core/status.h"

#include <cstdint>
#include <string>

namespace nc::engine {

// `sampleDims`: the graph's Input shape. An unknown kind or a bad query is an error, as
// loadDataset would give; a missing path is an I/O error.
nc::core::Result<std::uint64_t> estimateDatasetBytes(const std::string& spec,
                                                     const Dims& sampleDims);

} // namespace nc::engine
