#include "crc32c.h"

#include <array>

namespace nc::engine {

namespace {

constexpr std::uint32_t kPolynomial = 0x82f63b78; // 0x1EDC6F41 bit-reversed

constexpr std::array<std::uint32_t, 256> makeTable() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int bit = 0; bit < 8; ++bit)
            c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
        table[i] = c;
    }
    return table;
}

constexpr std::array<std::uint32_t, 256> kTable = makeTable();

} // namespace

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc) {
    crc = ~crc;
    for (unsigned char b : bytes)
        crc = kTable[(crc ^ b) & 0xff] ^ (crc >> 8);
    return ~crc;
}

std::uint32_t maskCrc32c(std::uint32_t crc) {
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

} // namespace nc::engine
