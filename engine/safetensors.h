#pragma once
// The safetensors container: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range (plus "__metadata__" strings), then the raw data.
// Only F32 tensors are read or written.

#include "tensor.h"

#include "core/status.h"

#include <map>
#include <string>
#include <string_view>
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
// Every offset, shape and type is checked; errors name the file and the tensor. Only what the
// header describes is read, so a pipe or device (/dev/zero) cannot make it read without end.
// A file that cannot be opened or read is an I/O error (Status::isIoError).
nc::core::Result<SafetensorsFile> readSafetensors(const std::string& path);
// Only the "__metadata__" strings, read from the header without the data (fast enough to ask
// about a checkpoint on the GUI thread); the header is checked as readSafetensors checks it.
nc::core::Result<std::map<std::string, std::string>>
readSafetensorsMetadata(const std::string& path);
// The same from bytes in memory; `name` stands for the file in messages.
nc::core::Result<SafetensorsFile> readSafetensorsBytes(std::string_view bytes,
                                                       const std::string& name);

} // namespace nc::engine
