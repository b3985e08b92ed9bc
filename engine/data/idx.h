#pragma once
// IDX files (MNIST, Fashion-MNIST), raw or gzip-compressed: a header of two zero bytes, the
// element type (0x08, unsigned bytes) and the rank, then one big-endian uint32 per dimension,
// then the elements. The header is checked before anything is read for it: its size against
// a cap and then against the bytes that actually follow, and only that many bytes are ever
// inflated, so a corrupt file or a gzip bomb gives a message, not an exhausted memory.
//
//   Result<IdxArray> images = readIdxFile("data/train-images-idx3-ubyte.gz", 3);

#include "core/status.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nc::engine {

struct IdxArray {
    std::vector<std::uint32_t> dims;
    std::vector<unsigned char> values; // row-major
};

// The most values one IDX file may hold: 2^28 (342,000 MNIST-sized images).
inline constexpr std::uint64_t kMaxIdxValues = std::uint64_t(1) << 28;
// The most bytes read from one IDX file (raw or gzip): its values and a header.
inline constexpr std::uint64_t kMaxIdxFileBytes = kMaxIdxValues + (std::uint64_t(1) << 20);

// `rank`: the dimensions expected (3 for images, 1 for labels). A file that cannot be opened
// or read is an I/O error; anything wrong inside it names the file and the problem.
nc::core::Result<IdxArray> readIdxFile(const std::string& path, int rank);
// The same from bytes in memory (raw or gzip); `name` stands for the file in messages.
nc::core::Result<IdxArray> readIdxBytes(std::string_view bytes, int rank, const std::string& name);

} // namespace nc::engine
