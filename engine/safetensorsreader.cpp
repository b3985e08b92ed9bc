// Reading safetensors files: the 8-byte header length, the JSON header, then only the data
// bytes that the header's tensors cover. F32, F64, F16 and BF16 tensors arrive as float32;
// PyTorch's integer num_batches_tracked counters are skipped. Every size is checked before anything
// is allocated for it, so a damaged or hostile file gives a message, not a crash or a huge
// allocation.

#include "safetensors.h"

#include "core/inputfile.h"
#include "graph_model/jsonparse.h"

#include <algorithm>
#include <cstring>
#include <optional>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;

namespace {

using Json = nlohmann::ordered_json;
constexpr std::uint64_t kMaxHeader = 100u << 20;
constexpr std::uint64_t kMaxDataBytes = std::uint64_t(16) << 30;

std::uint64_t readLittleEndian(std::string_view bytes) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(bytes[std::size_t(i)]);
    return v;
}

// The stored element types read, each converted to float32 (PyTorch saves half precision and
// double too).
enum class DType { F32, F64, F16, BF16 };

struct DTypeInfo {
    const char* name;
    DType type;
    std::uint64_t bytes;
};
constexpr DTypeInfo kDTypes[] = {{"F32", DType::F32, 4},
                                 {"F64", DType::F64, 8},
                                 {"F16", DType::F16, 2},
                                 {"BF16", DType::BF16, 2}};

struct Entry {
    std::string name;
    Dims dims;
    std::uint64_t begin = 0, end = 0;
    DTypeInfo dtype = kDTypes[0];
};

// IEEE half precision to single: same sign, exponent rebiased, subnormals normalised.
float halfToFloat(std::uint16_t h) {
    const std::uint32_t sign = std::uint32_t(h & 0x8000u) << 16;
    std::uint32_t exponent = (h >> 10) & 0x1fu;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits;
    if (exponent == 0x1f) { // infinity, NaN
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else { // subnormal: shift until the leading 1 is the implicit bit
            exponent = 127 - 15 + 1;
            while (!(mantissa & 0x400u)) {
                mantissa <<= 1;
                --exponent;
            }
            bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
        }
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

void convertToFloat(const DTypeInfo& dtype, const char* from, std::int64_t count, float* to) {
    switch (dtype.type) {
    case DType::F32:
        std::memcpy(to, from, std::size_t(count) * 4);
        return;
    case DType::F64:
        for (std::int64_t i = 0; i < count; ++i) {
            double d;
            std::memcpy(&d, from + 8 * i, 8);
            to[i] = float(d);
        }
        return;
    case DType::F16:
    case DType::BF16:
        for (std::int64_t i = 0; i < count; ++i) {
            std::uint16_t h;
            std::memcpy(&h, from + 2 * i, 2);
            const std::uint32_t bits = std::uint32_t(h) << 16; // bfloat16 is float's top half
            if (dtype.type == DType::F16)
                to[i] = halfToFloat(h);
            else
                std::memcpy(&to[i], &bits, 4);
        }
        return;
    }
}

// PyTorch's BatchNorm keeps an integer step count that NetCanvas has no use for.
bool isBookkeeping(const std::string& key, const Json& dtype) {
    return key.ends_with("num_batches_tracked") && dtype.is_string() &&
           dtype.get<std::string>().starts_with("I");
}

struct Header {
    std::vector<Entry> entries;
    std::map<std::string, std::string> metadata;
    std::uint64_t dataBytes = 0; // the end of the last tensor's data
};

bool headerFits(std::uint64_t headerSize, std::optional<std::uint64_t> fileSize) {
    return headerSize <= kMaxHeader && (!fileSize || headerSize <= *fileSize - 8);
}

Status damagedHeaderSize(const std::string& name, std::uint64_t headerSize,
                         std::optional<std::uint64_t> fileSize) {
    return Status::error(name + ": damaged safetensors file (a header of " +
                         std::to_string(headerSize) + " bytes" +
                         (fileSize ? " in a file of " + std::to_string(*fileSize) : "") + ")");
}

Result<Entry> readEntry(const std::string& name, const std::string& key, const Json& entry) {
    const std::string where = name + ": tensor \"" + key + "\"";
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") ||
        !entry.contains("data_offsets"))
        return Status::error(where + " needs dtype, shape and data_offsets");
    const Json& dtype = entry.at("dtype");
    const DTypeInfo* info = nullptr;
    for (const DTypeInfo& d : kDTypes)
        if (dtype == d.name)
            info = &d;
    if (!info)
        return Status::error(where + " has dtype " + dtype.dump() +
                             "; F32, F64, F16 and BF16 are read (as float32)");
    const Json& shape = entry.at("shape");
    if (!shape.is_array())
        return Status::error(where + " has a bad shape " + shape.dump());
    Entry e{key, {}, 0, 0, *info};
    std::uint64_t count = 1;
    for (const Json& d : shape) {
        if (!d.is_number_unsigned() || d.get<std::uint64_t>() > (1u << 31))
            return Status::error(where + " has a bad shape " + shape.dump());
        const std::uint64_t n = d.get<std::uint64_t>();
        if (n != 0 && count > kMaxDataBytes / std::max<std::uint64_t>(info->bytes, 4) / n)
            return Status::error(where + " has a shape " + shape.dump() + " of more than " +
                                 nc::core::describeByteCount(kMaxDataBytes));
        count *= n;
        e.dims.push_back(std::int64_t(n));
    }
    const Json& offsets = entry.at("data_offsets");
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned() ||
        !offsets[1].is_number_unsigned())
        return Status::error(where + " has bad data_offsets " + offsets.dump());
    e.begin = offsets[0].get<std::uint64_t>();
    e.end = offsets[1].get<std::uint64_t>();
    if (e.begin > e.end || e.end - e.begin != count * info->bytes || e.end > kMaxDataBytes)
        return Status::error(where + ": its data (bytes " + std::to_string(e.begin) + ".." +
                             std::to_string(e.end) + ") does not fit its shape " +
                             formatDims(e.dims));
    return e;
}

Result<Header> parseHeader(std::string_view text, const std::string& name) {
    Result<Json> parsed = nc::graph::parseJson(text, name + ": damaged safetensors header");
    if (!parsed)
        return parsed.status();
    const Json& root = parsed.value();
    if (!root.is_object())
        return Status::error(name + ": damaged safetensors header (not a JSON object)");
    Header header;
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (!it.value().is_object())
                return Status::error(name + ": __metadata__ must be an object of strings");
            for (auto m = it.value().begin(); m != it.value().end(); ++m)
                if (m.value().is_string())
                    header.metadata[m.key()] = m.value().get<std::string>();
            continue;
        }
        if (it.value().is_object() && isBookkeeping(it.key(), it.value().value("dtype", Json())))
            continue;
        Result<Entry> entry = readEntry(name, it.key(), it.value());
        if (!entry)
            return entry.status();
        header.dataBytes = std::max(header.dataBytes, entry.value().end);
        header.entries.push_back(std::move(entry).value());
    }
    return header;
}

Result<SafetensorsFile> buildTensors(const Header& header, std::string_view data,
                                     const std::string& name) {
    SafetensorsFile file;
    file.metadata = header.metadata;
    for (const Entry& e : header.entries) {
        if (e.end > data.size())
            return Status::error(name + ": tensor \"" + e.name + "\": its data (bytes " +
                                 std::to_string(e.begin) + ".." + std::to_string(e.end) +
                                 ") does not fit its shape " + formatDims(e.dims) +
                                 " or the file (" + std::to_string(data.size()) +
                                 " data bytes); the file may be truncated");
        Tensor t(e.dims);
        convertToFloat(e.dtype, data.data() + e.begin, t.size(), t.data());
        file.tensors.emplace(e.name, std::move(t));
    }
    return file;
}

} // namespace

Result<SafetensorsFile> readSafetensorsBytes(std::string_view bytes, const std::string& name) {
    if (bytes.size() < 8)
        return Status::error(name +
                             ": not a safetensors file (shorter than its 8-byte header length)");
    const std::uint64_t headerSize = readLittleEndian(bytes);
    if (!headerFits(headerSize, bytes.size()))
        return damagedHeaderSize(name, headerSize, bytes.size());
    Result<Header> header = parseHeader(bytes.substr(8, headerSize), name);
    if (!header)
        return header.status();
    return buildTensors(header.value(), bytes.substr(8 + headerSize), name);
}

namespace {

// The header of an opened file; the data bytes are left unread.
Result<Header> readHeaderOf(nc::core::InputFile& file, const std::string& path) {
    std::string bytes;
    Result<std::size_t> got = file.read(8, bytes);
    if (!got)
        return got.status();
    if (bytes.size() < 8)
        return Status::error(path +
                             ": not a safetensors file (shorter than its 8-byte header length)");
    const std::uint64_t headerSize = readLittleEndian(bytes);
    if (!headerFits(headerSize, file.size())) // file.size() >= 8 here: 8 bytes were read
        return damagedHeaderSize(path, headerSize, file.size());
    bytes.clear();
    if (got = file.read(headerSize, bytes); !got)
        return got.status();
    if (bytes.size() < headerSize) // a stream that ended early
        return damagedHeaderSize(path, headerSize, 8 + bytes.size());
    return parseHeader(bytes, path);
}

} // namespace

Result<SafetensorsFile> readSafetensors(const std::string& path) {
    Result<nc::core::InputFile> opened = nc::core::InputFile::open(path);
    if (!opened)
        return opened.status();
    Result<Header> header = readHeaderOf(opened.value(), path);
    if (!header)
        return header.status();
    std::string bytes;
    if (Result<std::size_t> got = opened.value().read(header.value().dataBytes, bytes); !got)
        return got.status();
    return buildTensors(header.value(), bytes, path);
}

Result<std::map<std::string, std::string>> readSafetensorsMetadata(const std::string& path) {
    Result<nc::core::InputFile> opened = nc::core::InputFile::open(path);
    if (!opened)
        return opened.status();
    Result<Header> header = readHeaderOf(opened.value(), path);
    if (!header)
        return header.status();
    return header.value().metadata;
}

} // namespace nc::engine
