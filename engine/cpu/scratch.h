#pragma once
// Reusable per-thread buffers, so kernels do not allocate on every call, and per-thread
// partial sums reduced in thread order (deterministic for a given thread count).

#include "../tensor.h"

#include <cstdint>
#include <vector>

namespace nc::engine::cpu {

// A buffer owned by the calling thread, identified by a slot number, at least `size` floats.
float* scratch(int slot, std::int64_t size);

// dst += src, element-wise over dst's size.
void addGradient(Tensor& dst, const float* src);

class ThreadPartials {
public:
    ThreadPartials(int threads, std::int64_t size);
    float* forThread(int thread) { return m_buffers[std::size_t(thread)].data(); }
    // dst += partial[0] + partial[1] + ... in that order.
    void addInto(float* dst) const;

private:
    std::vector<FloatBuffer> m_buffers;
};

} // namespace nc::engine::cpu
