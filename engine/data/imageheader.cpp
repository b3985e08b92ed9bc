#include "imageheader.h"

#include <cctype>

namespace nc::engine {

namespace {

std::uint32_t byteAt(std::string_view b, std::size_t i) {
    return static_cast<unsigned char>(b[i]);
}

std::uint32_t bigEndian16(std::string_view b, std::size_t i) {
    return (byteAt(b, i) << 8) | byteAt(b, i + 1);
}

std::uint32_t bigEndian32(std::string_view b, std::size_t i) {
    return (bigEndian16(b, i) << 16) | bigEndian16(b, i + 2);
}

std::uint32_t littleEndian32(std::string_view b, std::size_t i) {
    return byteAt(b, i) | (byteAt(b, i + 1) << 8) | (byteAt(b, i + 2) << 16) |
           (byteAt(b, i + 3) << 24);
}

std::optional<ImageSize> png(std::string_view b) {
    if (b.size() < 24 || b.substr(12, 4) != "IHDR")
        return std::nullopt;
    return ImageSize{bigEndian32(b, 16), bigEndian32(b, 20)};
}

// The first start-of-frame marker (SOF0..SOF15 but DHT, JPG and DAC) holds the size.
std::optional<ImageSize> jpeg(std::string_view b) {
    std::size_t i = 2;
    while (i + 4 <= b.size()) {
        if (byteAt(b, i) != 0xff)
            return std::nullopt;
        const std::uint32_t marker = byteAt(b, i + 1);
        if (marker == 0xff) { // fill byte
            ++i;
            continue;
        }
        const std::uint32_t length = bigEndian16(b, i + 2);
        const bool frame =
            marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
        if (frame) {
            if (i + 9 > b.size())
                return std::nullopt;
            return ImageSize{bigEndian16(b, i + 7), bigEndian16(b, i + 5)};
        }
        if (length < 2)
            return std::nullopt;
        i += 2 + length;
    }
    return std::nullopt;
}

std::optional<ImageSize> bmp(std::string_view b) {
    if (b.size() < 26)
        return std::nullopt;
    const auto width = std::int32_t(littleEndian32(b, 18));
    const auto height = std::int32_t(littleEndian32(b, 22)); // negative: stored top-down
    auto magnitude = [](std::int32_t v) { return v < 0 ? -std::int64_t(v) : std::int64_t(v); };
    return ImageSize{std::uint64_t(magnitude(width)), std::uint64_t(magnitude(height))};
}

// "P5 640 480 255": whitespace and # comments between the numbers.
std::optional<ImageSize> pnm(std::string_view b) {
    std::size_t i = 2;
    std::uint64_t numbers[2] = {0, 0};
    for (std::uint64_t& n : numbers) {
        while (i < b.size() && (std::isspace(byteAt(b, i)) || b[i] == '#')) {
            if (b[i] == '#')
                while (i < b.size() && b[i] != '\n')
                    ++i;
            else
                ++i;
        }
        if (i >= b.size() || !std::isdigit(byteAt(b, i)))
            return std::nullopt;
        while (i < b.size() && std::isdigit(byteAt(b, i)) && n < (std::uint64_t(1) << 40))
            n = n * 10 + (byteAt(b, i++) - '0');
    }
    return ImageSize{numbers[0], numbers[1]};
}

std::optional<ImageSize> webp(std::string_view b) {
    if (b.size() < 30)
        return std::nullopt;
    const std::string_view chunk = b.substr(12, 4);
    if (chunk == "VP8X") // 24-bit canvas size minus one
        return ImageSize{(byteAt(b, 24) | (byteAt(b, 25) << 8) | (byteAt(b, 26) << 16)) + 1u,
                         (byteAt(b, 27) | (byteAt(b, 28) << 8) | (byteAt(b, 29) << 16)) + 1u};
    if (chunk == "VP8L") { // 14-bit sizes minus one, after a signature byte
        const std::uint32_t bits = littleEndian32(b, 21);
        return ImageSize{(bits & 0x3fff) + 1u, ((bits >> 14) & 0x3fff) + 1u};
    }
    if (chunk == "VP8 ") // 14-bit sizes after the key frame's start code
        return ImageSize{(byteAt(b, 26) | (byteAt(b, 27) << 8)) & 0x3fffu,
                         (byteAt(b, 28) | (byteAt(b, 29) << 8)) & 0x3fffu};
    return std::nullopt;
}

} // namespace

std::optional<ImageSize> imageSizeFromHeader(std::string_view b) {
    if (b.substr(0, 8) == "\x89PNG\r\n\x1a\n")
        return png(b);
    if (b.size() >= 3 && byteAt(b, 0) == 0xff && byteAt(b, 1) == 0xd8)
        return jpeg(b);
    if (b.substr(0, 2) == "BM")
        return bmp(b);
    if (b.size() >= 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6')
        return pnm(b);
    if (b.substr(0, 4) == "RIFF" && b.size() >= 12 && b.substr(8, 4) == "WEBP")
        return webp(b);
    return std::nullopt;
}

} // namespace nc::engine
