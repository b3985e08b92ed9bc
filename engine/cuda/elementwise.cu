#include "elementwise.h"

namespace nc::engine::cuda {

namespace {

__global__ void fillKernel(float* data, float value, std::int64_t count) {
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < count;
         i += std::int64_t(gridDim.x) * blockDim.x)
        data[i] = value;
}

__global__ void addIntoKernel(float* dst, const float* src, std::int64_t count) {
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < count;
         i += std::int64_t(gridDim.x) * blockDim.x)
        dst[i] += src[i];
}

__global__ void addPairKernel(float* dst, const float* a, const float* b, std::int64_t count) {
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < count;
         i += std::int64_t(gridDim.x) * blockDim.x)
        dst[i] = a[i] + b[i];
}

__global__ void gatherRowsKernel(const float* table, const std::int64_t* rows, std::int64_t count,
                                 std::int64_t width, float* out) {
    const std::int64_t total = count * width;
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x)
        out[i] = table[rows[i / width] * width + i % width];
}

__global__ void zeroChunksKernel(const ZeroChunk* chunks) {
    const ZeroChunk c = chunks[blockIdx.x];
    for (std::int64_t j = c.begin + threadIdx.x; j < c.end; j += blockDim.x)
        c.data[j] = 0.0f;
}

__global__ void nonFiniteKernel(const float* data, std::int64_t count, int* flag) {
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < count;
         i += std::int64_t(gridDim.x) * blockDim.x)
        if (!isfinite(data[i])) {
            *flag = 1;
            return;
        }
}

__global__ void copyPlanesKernel(const float* src, float* dst, PlaneCopy c) {
    const std::int64_t total = c.planes * c.dstH * c.dstW;
    for (std::int64_t i = blockIdx.x * std::int64_t(blockDim.x) + threadIdx.x; i < total;
         i += std::int64_t(gridDim.x) * blockDim.x) {
        const int x = int(i % c.dstW);
        const int y = int((i / c.dstW) % c.dstH);
        const std::int64_t plane = i / (std::int64_t(c.dstW) * c.dstH);
        const int sy = y + c.offY, sx = x + c.offX;
        float value = 0.0f;
        if (sy >= 0 && sy < c.srcH && sx >= 0 && sx < c.srcW)
            value = src[(plane * c.srcH + sy) * c.srcW + sx];
        if (c.accumulate)
            dst[i] += value;
        else
            dst[i] = value;
    }
}

constexpr int kReduceThreads = 1024;

__global__ void meanKernel(const float* values, std::int64_t count, float* out) {
    __shared__ double partial[kReduceThreads];
    double sum = 0.0;
    for (std::int64_t i = threadIdx.x; i < count; i += blockDim.x)
        sum += double(values[i]);
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (int(threadIdx.x) < stride)
            partial[threadIdx.x] += partial[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0)
        out[0] = float(partial[0] / double(count));
}

} // namespace

Status zeroChunks(CudaContext& context, const ZeroChunk* chunks, std::size_t count) {
    if (count == 0)
        return Status::ok();
    zeroChunksKernel<<<unsigned(count), 256, 0, context.stream()>>>(chunks);
    return checkLaunch("zeroChunksKernel");
}

Status gatherRowsDevice(CudaContext& context, const float* table, const std::int64_t* rows,
                        std::int64_t count, std::int64_t width, float* out) {
    if (count * width == 0)
        return Status::ok();
    gatherRowsKernel<<<blocksFor(count * width), 256, 0, context.stream()>>>(table, rows, count,
                                                                             width, out);
    return checkLaunch("gatherRowsKernel");
}

Status fillDevice(CudaContext& context, float* data, float value, std::int64_t count) {
    fillKernel<<<blocksFor(count), 256, 0, context.stream()>>>(data, value, count);
    return checkLaunch("fill kernel");
}

Status addInto(CudaContext& context, float* dst, const float* src, std::int64_t count) {
    addIntoKernel<<<blocksFor(count), 256, 0, context.stream()>>>(dst, src, count);
    return checkLaunch("add kernel");
}

Status addPair(CudaContext& context, float* dst, const float* a, const float* b,
               std::int64_t count) {
    addPairKernel<<<blocksFor(count), 256, 0, context.stream()>>>(dst, a, b, count);
    return checkLaunch("add kernel");
}

Status flagNonFinite(CudaContext& context, const float* data, std::int64_t count, int* flag) {
    nonFiniteKernel<<<blocksFor(count), 256, 0, context.stream()>>>(data, count, flag);
    return checkLaunch("finite-check kernel");
}

Status copyPlanes(CudaContext& context, const float* src, float* dst, const PlaneCopy& copy) {
    const std::int64_t total = copy.planes * copy.dstH * copy.dstW;
    copyPlanesKernel<<<blocksFor(total), 256, 0, context.stream()>>>(src, dst, copy);
    return checkLaunch("pad/crop kernel");
}

Status meanInto(CudaContext& context, const float* values, std::int64_t count, float* out) {
    meanKernel<<<1, kReduceThreads, 0, context.stream()>>>(values, count, out);
    return checkLaunch("mean kernel");
}

} // namespace nc::engine::cuda
