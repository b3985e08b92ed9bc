#pragma once
// Writes named tensors as a NumPy .npz archive (what numpy.savez writes: a zip of stored,
// uncompressed NAME.npy members), atomically. numpy.load(path)["conv1.weight"] reads one back.

#include "tensor.h"

#include "core/status.h"

#include <string>
#include <utility>
#include <vector>

namespace nc::engine {

// Tensors on the host; each member must stay under 4 GiB (no zip64).
nc::core::Status writeNpz(const std::string& path,
                          const std::vector<std::pair<std::string, const Tensor*>>& tensors);

} // namespace nc::engine
