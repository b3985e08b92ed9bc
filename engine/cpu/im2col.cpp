#include "im2col.h"

#include <cstring>

namespace nc::engine::cpu {

void im2col(const float* image, int channels, int height, int width, const Window& w, int gridH,
            int gridW, float* col) {
    const int plane = gridH * gridW;
    for (int c = 0; c < channels; ++c) {
        const float* src = image + std::size_t(c) * height * width;
        for (int ky = 0; ky < w.kh; ++ky) {
            for (int kx = 0; kx < w.kw; ++kx) {
                float* row =
                    col + (std::size_t(c) * w.kh * w.kw + std::size_t(ky) * w.kw + kx) * plane;
                const int xOffset = kx * w.dw - w.padLeft;
                for (int oy = 0; oy < gridH; ++oy) {
                    const int iy = oy * w.sh - w.padTop + ky * w.dh;
                    float* out = row + std::size_t(oy) * gridW;
                    if (iy < 0 || iy >= height) {
                        std::memset(out, 0, sizeof(float) * std::size_t(gridW));
                        continue;
                    }
                    const float* line = src + std::size_t(iy) * width;
                    if (w.sw == 1 && xOffset >= 0 && xOffset + gridW <= width) {
                        std::memcpy(out, line + xOffset, sizeof(float) * std::size_t(gridW));
                        continue;
                    }
                    for (int ox = 0; ox < gridW; ++ox) {
                        const int ix = ox * w.sw + xOffset;
                        out[ox] = (ix >= 0 && ix < width) ? line[ix] : 0.0f;
                    }
                }
            }
        }
    }
}

void col2im(const float* col, int channels, int height, int width, const Window& w, int gridH,
            int gridW, float* image) {
    const int plane = gridH * gridW;
    for (int c = 0; c < channels; ++c) {
        float* dst = image + std::size_t(c) * height * width;
        for (int ky = 0; ky < w.kh; ++ky) {
            for (int kx = 0; kx < w.kw; ++kx) {
                const float* row =
                    col + (std::size_t(c) * w.kh * w.kw + std::size_t(ky) * w.kw + kx) * plane;
                const int xOffset = kx * w.dw - w.padLeft;
                for (int oy = 0; oy < gridH; ++oy) {
                    const int iy = oy * w.sh - w.padTop + ky * w.dh;
                    if (iy < 0 || iy >= height)
                        continue;
                    float* line = dst + std::size_t(iy) * width;
                    const float* in = row + std::size_t(oy) * gridW;
                    if (w.sw == 1 && xOffset >= 0 && xOffset + gridW <= width) {
                        for (int ox = 0; ox < gridW; ++ox)
                            line[xOffset + ox] += in[ox];
                        continue;
                    }
                    for (int ox = 0; ox < gridW; ++ox) {
                        const int ix = ox * w.sw + xOffset;
                        if (ix >= 0 && ix < width)
                            line[ix] += in[ox];
                    }
                }
            }
        }
    }
}

} // namespace nc::engine::cpu
