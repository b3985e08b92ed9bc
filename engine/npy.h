#pragma once
// Writes a tensor as a NumPy .npy file (format 1.0, little-endian float32, C order), atomically.

#include "tensor.h"

#include "graph_model/result.h"

#include <string>

namespace nc::engine {

nc::graph::Status writeNpy(const std::string& path, const Tensor& tensor);

} // namespace nc::engine
