#include "scratch.h"

#include <array>

namespace nc::engine::cpu {

float* scratch(int slot, std::int64_t size) {
    thread_local std::array<FloatBuffer, 8> buffers;
    FloatBuffer& b = buffers.at(std::size_t(slot));
    if (std::int64_t(b.size()) < size)
        b.resize(std::size_t(size));
    return b.data();
}

void addGradient(Tensor& dst, const float* src) {
    float* d = dst.data();
    const std::int64_t n = dst.size();
#pragma omp parallel for simd schedule(static)
    for (std::int64_t i = 0; i < n; ++i)
        d[i] += src[i];
}

ThreadPartials::ThreadPartials(int threads, std::int64_t size)
    : m_buffers(std::size_t(threads), FloatBuffer(std::size_t(size), 0.0f)) {}

void ThreadPartials::addInto(float* dst) const {
    for (const FloatBuffer& partial : m_buffers)
        for (std::size_t i = 0; i < partial.size(); ++i)
            dst[i] += partial[i];
}

} // namespace nc::engine::cpu
