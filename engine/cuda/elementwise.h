#pragma once
// Small element-wise kernels the ops share, each queued on the context's stream.

#include "cudacontext.h"

namespace nc::engine::cuda {

Status fillDevice(CudaContext& context, float* data, float value, std::int64_t count);
// dst += src
Status addInto(CudaContext& context, float* dst, const float* src, std::int64_t count);
// dst = a + b
Status addPair(CudaContext& context, float* dst, const float* a, const float* b,
               std::int64_t count);
// out[i, :] = table[rows[i], :] for count rows of `width` floats (rows on the device).
Status gatherRowsDevice(CudaContext& context, const float* table, const std::int64_t* rows,
                        std::int64_t count, std::int64_t width, float* out);
// One chunk of a fused zeroing: data[begin, end) = 0.
struct ZeroChunk {
    float* data;
    std::int64_t begin, end;
};
constexpr std::int64_t kZeroChunk = 16384; // elements per chunk (one block each)
Status zeroChunks(CudaContext& context, const ZeroChunk* chunks, std::size_t count);
// Sets *flag (device int) to 1 when any element is NaN or infinite; leaves it otherwise.
Status flagNonFinite(CudaContext& context, const float* data, std::int64_t count, int* flag);

// Copies planes between two sizes at an offset: dst[y][x] = src[y + offY][x + offX], zero
// where that is outside src; with `accumulate`, dst += instead. Padding an input is a
// negative offset, cropping a positive one.
struct PlaneCopy {
    std::int64_t planes;
    int srcH, srcW, dstH, dstW, offY, offX;
    bool accumulate;
};
Status copyPlanes(CudaContext& context, const float* src, float* dst, const PlaneCopy& copy);

// Mean of `count` values into out[0], summed in double by one block
// (deterministic).
Status meanInto(CudaContext& context, const float* values, std::int64_t count, float* out);

// Grid size for a grid-stride loop over n elements.
inline unsigned blocksFor(std::int64_t n, int threads = 256) {
    std::int64_t blocks = (n + threads - 1) / threads;
    return unsigned(blocks < 1 ? 1 : (blocks > 65535 * 16 ? 65535 * 16 : blocks));
}

} // namespace nc::engine::cuda
