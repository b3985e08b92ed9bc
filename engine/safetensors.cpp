#include "safetensors.h"

#include "core/atomicwrite.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

using Json = nlohmann::ordered_json;
constexpr std::uint64_t kMaxHeader = 100u << 20;
constexpr std::size_t kMaxFileBytes = std::size_t(16) << 30;

void appendLittleEndian(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out += char((v >> (8 * i)) & 0xff);
}

std::uint64_t readLittleEndian(const std::string& bytes) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(bytes[std::size_t(i)]);
    return v;
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

Result<SafetensorsFile> readSafetensors(const std::string& path) {
    Result<std::string> read = nc::core::readWholeFile(path, kMaxFileBytes);
    if (!read)
        return Status::error(read.message());
    const std::string& bytes = read.value();
    if (bytes.size() < 8)
        return Status::error(path +
                             ": not a safetensors file (shorter than its 8-byte header length)");
    const std::uint64_t headerSize = readLittleEndian(bytes);
    if (headerSize > kMaxHeader || headerSize > bytes.size() - 8)
        return Status::error(path + ": damaged safetensors file (a header of " +
                             std::to_string(headerSize) + " bytes in a file of " +
                             std::to_string(bytes.size()) + ")");
    Json header;
    try {
        header = Json::parse(bytes.begin() + 8, bytes.begin() + 8 + std::ptrdiff_t(headerSize));
    } catch (const std::exception& e) {
        return Status::error(path + ": damaged safetensors header (not valid JSON)");
    }
    if (!header.is_object())
        return Status::error(path + ": damaged safetensors header (not a JSON object)");
    SafetensorsFile file;
    const std::uint64_t dataSize = bytes.size() - 8 - headerSize;
    const char* data = bytes.data() + 8 + headerSize;
    for (auto it = header.begin(); it != header.end(); ++it) {
        const Json& entry = it.value();
        if (it.key() == "__metadata__") {
            if (!entry.is_object())
                return Status::error(path + ": __metadata__ must be an object of strings");
            for (auto m = entry.begin(); m != entry.end(); ++m)
                if (m.value().is_string())
                    file.metadata[m.key()] = m.value().get<std::string>();
            continue;
        }
        const std::string where = path + ": tensor \"" + it.key() + "\"";
        if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
            !entry.contains("data_offsets"))
            return Status::error(where + " needs dtype, shape and data_offsets");
        if (entry["dtype"] != "F32")
            return Status::error(where + " has dtype " + entry["dtype"].dump() +
                                 "; only F32 is supported");
        Dims dims;
        std::uint64_t count = 1;
        for (const Json& d : entry["shape"]) {
            if (!d.is_number_unsigned() || d.get<std::uint64_t>() > (1u << 31))
                return Status::error(where + " has a bad shape " + entry["shape"].dump());
            dims.push_back(std::int64_t(d.get<std::uint64_t>()));
            count *= d.get<std::uint64_t>();
        }
        const Json& offsets = entry["data_offsets"];
        if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
            !offsets[1].is_number_unsigned())
            return Status::error(where + " has bad data_offsets " + offsets.dump());
        const std::uint64_t begin = offsets[0].get<std::uint64_t>(),
                            end = offsets[1].get<std::uint64_t>();
        if (begin > end || end > dataSize || end - begin != count * sizeof(float))
            return Status::error(where + ": its data (bytes " + std::to_string(begin) + ".." +
                                 std::to_string(end) + ") does not fit its shape " +
                                 formatDims(dims) + " or the file (" + std::to_string(dataSize) +
                                 " data bytes); the file may be truncated");
        Tensor t(dims);
        std::memcpy(t.data(), data + begin, end - begin);
        file.tensors.emplace(it.key(), std::move(t));
    }
    return file;
}

} // namespace nc::engine
