#pragma once
// The data set of a PyTorch export: any data spec NetCanvas reads (built-in synthetic sets
// included) written as data.npz, arrays `x` (inputs, [N, ...] float32) and `y` (targets),
// which the exported train.py reads by default. Bounded: a set estimated (before loading) or
// found (after) to be larger than the cap is refused with both sizes.
//
//   Status s = exportPytorchData(model, "synthetic:digits?count=2000", "out/data.npz");

#include "engine/data/dataset.h"
#include "engine/model.h"

#include <cstdint>
#include <string>

namespace nc::engine {

// The most bytes data.npz may hold: 1 GiB.
inline constexpr std::uint64_t kMaxPytorchDataBytes = std::uint64_t(1) << 30;

// The data set for `model`'s Input, refused when its estimate or its loaded size exceeds
// `maxBytes` (so a command can check it before writing anything).
Result<Dataset> loadPytorchData(const Model& model, const std::string& spec,
                                std::uint64_t maxBytes = kMaxPytorchDataBytes);
// Writes it as data.npz (atomically).
Status writePytorchData(const Dataset& data, const std::string& path);
// Both.
Status exportPytorchData(const Model& model, const std::string& spec, const std::string& path,
                         std::uint64_t maxBytes = kMaxPytorchDataBytes);

} // namespace nc::engine
