// Writing safetensors files (reading: safetensorsreader.cpp).

#include "safetensors.h"

#include "core/atomicwrite.h"

#include <nlohmann/json.hpp>

namespace nc::engine {

using nc::core::Status;

namespace {

using Json = nlohmann::ordered_json;

void appendLittleEndian(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out += char((v >> (8 * i)) & 0xff);
}

} // namespace

Status writeSafetensors(const std::string& path,
                        const std::vector<std::pair<std::string, const Tensor*>>& tensors,
                        const std::map<std::string, std::string>& metadata) {
    Json header = Json::object();
    Json meta = Json::object();
    for (const auto& [key, value] : metadata)
        meta[key] = value;
    header["__metadata__"] = meta;
    std::uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        const std::uint64_t bytes = std::uint64_t(tensor->size()) * sizeof(float);
        header[name] = {{"dtype", "F32"},
                        {"shape", tensor->dims()},
                        {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' '); // keep the data 8-byte aligned
    std::string out;
    out.reserve(8 + text.size() + offset);
    appendLittleEndian(out, text.size());
    out += text;
    for (const auto& [name, tensor] : tensors)
        out.append(reinterpret_cast<const char*>(tensor->data()),
                   std::size_t(tensor->size()) * sizeof(float));
    return nc::core::writeFileAtomically(path, out);
}

} // namespace nc::engine
