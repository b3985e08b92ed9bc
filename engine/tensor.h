#pragma once
// A dense float32 tensor, batch first, NCHW for images. Plain storage plus dimensions; the ops
// that read and write it live in the backends.

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

namespace nc::engine {

using Dims = std::vector<std::int64_t>;

// 64-byte aligned storage: vectorised loops and Eigen's reductions then take the same path
// for every buffer, so results do not depend on where memory happened to land (a resumed
// run gives bit-identical weights).
template <typename T> struct AlignedAllocator {
    using value_type = T;
    static constexpr std::align_val_t kAlignment{64};
    AlignedAllocator() = default;
    template <typename U> AlignedAllocator(const AlignedAllocator<U>&) {}
    T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new(n * sizeof(T), kAlignment));
    }
    void deallocate(T* p, std::size_t) { ::operator delete(p, kAlignment); }
    template <typename U> bool operator==(const AlignedAllocator<U>&) const { return true; }
};

using FloatBuffer = std::vector<float, AlignedAllocator<float>>;

class Tensor {
public:
    Tensor() = default;
    explicit Tensor(Dims dims, float fill = 0.0f);

    const Dims& dims() const { return m_dims; }
    std::int64_t dim(int axis) const { return m_dims.at(std::size_t(axis)); }
    int rank() const { return int(m_dims.size()); }
    std::int64_t size() const { return std::int64_t(m_data.size()); }
    bool empty() const { return m_data.empty(); }
    std::int64_t capacity() const { return std::int64_t(m_data.capacity()); }

    float* data() { return m_data.data(); }
    const float* data() const { return m_data.data(); }
    float& operator[](std::int64_t i) { return m_data[std::size_t(i)]; }
    float operator[](std::int64_t i) const { return m_data[std::size_t(i)]; }

    // Changes the dimensions; the storage grows when needed and is never shrunk, so buffers
    // can be reused across batches. New elements are zero.
    void resize(const Dims& dims);
    // Same element count, new dimensions (Flatten, Reshape).
    void reshape(const Dims& dims);
    void fill(float value);
    void zero() { fill(0.0f); }

private:
    Dims m_dims;
    FloatBuffer m_data;
};

std::int64_t product(const Dims& dims);
std::string formatDims(const Dims& dims); // "128x32x24x24"
// Elements per sample: the product of all dimensions but the first.
inline std::int64_t sampleSize(const Tensor& t) {
    return t.rank() > 0 && t.dim(0) > 0 ? t.size() / t.dim(0) : 0;
}

} // namespace nc::engine
