#include "npz.h"

#include "npy.h"

#include "core/atomicwrite.h"

#include <zlib.h>

#include <cstdint>
#include <limits>

namespace nc::engine {

namespace {

void put16(std::string& out, std::uint32_t v) {
    out += char(v & 0xff);
    out += char((v >> 8) & 0xff);
}

void put32(std::string& out, std::uint32_t v) {
    put16(out, v & 0xffff);
    put16(out, v >> 16);
}

// The fields a local header and its central-directory entry share: version needed 2.0, no
// flags, method 0 (stored), DOS time and date 1980-01-01 00:00, CRC, sizes, name length.
void putCommonFields(std::string& out, std::uint32_t crc, std::uint32_t size,
                     std::size_t nameLength) {
    put16(out, 20);
    put16(out, 0);
    put16(out, 0);
    put16(out, 0);
    put16(out, (0 << 9) | (1 << 5) | 1);
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, std::uint32_t(nameLength));
    put16(out, 0); // extra field length
}

} // namespace

nc::core::Status writeNpz(const std::string& path,
                          const std::vector<std::pair<std::string, const Tensor*>>& tensors) {
    constexpr std::uint64_t kLimit = std::numeric_limits<std::uint32_t>::max();
    if (tensors.size() >= 0xffff)
        return nc::core::Status::error(path + ": too many tensors for one .npz (" +
                                       std::to_string(tensors.size()) + ")");
    std::string archive, directory;
    for (const auto& [name, tensor] : tensors) {
        const std::string member = name + ".npy";
        const std::string bytes = npyBytes(*tensor);
        if (bytes.size() >= kLimit || archive.size() + bytes.size() >= kLimit)
            return nc::core::Status::error(path + ": \"" + name +
                                           "\" does not fit a .npz without zip64 (4 GiB)");
        const auto crc = std::uint32_t(
            crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), uInt(bytes.size())));
        const auto offset = std::uint32_t(archive.size());
        put32(archive, 0x04034b50);
        putCommonFields(archive, crc, std::uint32_t(bytes.size()), member.size());
        archive += member;
        archive += bytes;

        put32(directory, 0x02014b50);
        put16(directory, 20); // made by: version 2.0
        putCommonFields(directory, crc, std::uint32_t(bytes.size()), member.size());
        put16(directory, 0); // comment length
        put16(directory, 0); // disk number
        put16(directory, 0); // internal attributes
        put32(directory, 0); // external attributes
        put32(directory, offset);
        directory += member;
    }
    const auto directoryOffset = std::uint32_t(archive.size());
    archive += directory;
    put32(archive, 0x06054b50);
    put16(archive, 0); // this disk
    put16(archive, 0); // the directory's disk
    put16(archive, std::uint32_t(tensors.size()));
    put16(archive, std::uint32_t(tensors.size()));
    put32(archive, std::uint32_t(directory.size()));
    put32(archive, directoryOffset);
    put16(archive, 0); // comment length
    return nc::core::writeFileAtomically(path, archive);
}

} // namespace nc::engine
