#pragma once
// Writes a tensor as a NumPy .npy file (format 1.0, little-endian float32, C order), atomically.

#include "tensor.h"

#include "core/status.h"

#include <string>

namespace nc::engine {

// The bytes of a .npy file holding `tensor` (on the host).
std::string npyBytes(const Tensor& tensor);

nc::core::Status writeNpy(const std::string& path, const Tensor& tensor);

} // namespace nc::engine
