#pragma once
// The memory behind a Tensor. Each backend brings its own kind (host memory for the CPU,
// device memory for CUDA); a Tensor only asks for room and a pointer. Storage grows and is
// never shrunk, so buffers are reused across batches.

#include "device.h"

#include <cstdint>
#include <memory>
#include <new>
#include <vector>

namespace nc::engine {

class Storage {
public:
    virtual ~Storage() = default;
    virtual Device device() const = 0;
    // The first element, in the device's own address space.
    virtual float* data() = 0;
    virtual std::int64_t capacity() const = 0; // in floats
    // Holds `elements` floats from now on: the first min(old, new) keep their values, the
    // others read as zero. The capacity only grows.
    virtual void resize(std::int64_t elements) = 0;
    virtual void fill(float value, std::int64_t count) = 0;
    // An independent copy of the first `count` elements, on the same device.
    virtual std::unique_ptr<Storage> clone(std::int64_t count) const = 0;
    // Empty storage of the same kind, for a new tensor on the same device.
    virtual std::unique_ptr<Storage> makeEmpty() const = 0;
};

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

class HostStorage final : public Storage {
public:
    Device device() const override { return Device::cpu(); }
    float* data() override { return m_data.data(); }
    std::int64_t capacity() const override { return std::int64_t(m_data.capacity()); }
    void resize(std::int64_t elements) override { m_data.resize(std::size_t(elements)); }
    void fill(float value, std::int64_t count) override;
    std::unique_ptr<Storage> clone(std::int64_t count) const override;
    std::unique_ptr<Storage> makeEmpty() const override { return std::make_unique<HostStorage>(); }

private:
    FloatBuffer m_data;
};

} // namespace nc::engine
