#pragma once
// The safetensors container: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range (plus "__metadata__" strings), then the raw data.
// Only F32 tensors are read or written.

#include "tensor.h"

#include "core/status.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace nc::engine {

struct SafetensorsFile {
    std::map<std::string, Tensor> tensors;
    std::map<std::string, std::string> metadata;
};

// Atomic write; tensors keep the given order in the file.
nc::core::Status
writeSafetensors(const std::string& path,
                 const std::vector<std::pair<std::string, const Tensor*>>& tensors,
                 const std::map<std::string, std::string>& metadata);
// Every offset, shape and type is checked; errors name the file and the tensor.
nc::core::Result<SafetensorsFile> readSafetensors(const std::string& path);

} // namespace nc::engine
