#pragma once
// CRC-32C (Castagnoli, the polynomial of iSCSI, ext4 and TFRecord), computed in software
// from a 256-entry table. `maskedCrc32c` is TFRecord's mask, which keeps a CRC stored next to
// the data it covers from looking like data:
//   ((crc >> 15) | (crc << 17)) + 0xa282ead8
//
//   std::uint32_t c = crc32c("123456789"); // 0xE3069283

#include <cstdint>
#include <string_view>

namespace nc::engine {

// `crc` continues an earlier call over preceding bytes (0 to start).
std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc = 0);
std::uint32_t maskCrc32c(std::uint32_t crc);
inline std::uint32_t maskedCrc32c(std::string_view bytes) {
    return maskCrc32c(crc32c(bytes));
}

} // namespace nc::engine
