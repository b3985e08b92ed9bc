#pragma once
// The width and height an image file's header claims, read without decoding it, so that an
// image folder can refuse a small file that claims to be enormous before OpenCV allocates for
// it. Knows PNG, JPEG, BMP, PGM/PPM and WebP; other formats (TIFF) are left to OpenCV's own
// limit.

#include <cstdint>
#include <optional>
#include <string_view>

namespace nc::engine {

struct ImageSize {
    std::uint64_t width = 0;
    std::uint64_t height = 0;
};

// None when the format is not one of those above or the header is cut short (then the
// decoder reports the damage).
std::optional<ImageSize> imageSizeFromHeader(std::string_view bytes);

} // namespace nc::engine
