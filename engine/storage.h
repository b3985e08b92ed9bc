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
    // Storage of the same kind over elements [offset, offset + count) of this one, holding
    // `count` elements as they are; `owner` keeps this storage alive while the view lives
    // (TensorArena). Growing a view past `count` moves it into memory of its own.
    virtual std::unique_ptr<Storage> view(std::int64_t offset, std::int64_t count,
                                          std::shared_ptr<const void> owner) = 0;
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
    float* data() override { return m_view ? m_view : m_data.data(); }
    std::int64_t capacity() const override {
        return m_view ? m_viewCapacity : std::int64_t(m_data.capacity());
    }
    void resize(std::int64_t elements) override;
    void fill(float value, std::int64_t count) override;
    std::unique_ptr<Storage> clone(std::int64_t count) const override;
    std::unique_ptr<Storage> makeEmpty() const override { return std::make_unique<HostStorage>(); }
    std::unique_ptr<Storage> view(std::int64_t offset, std::int64_t count,
                                  std::shared_ptr<const void> owner) override;

private:
    const float* begin() const { return m_view ? m_view : m_data.data(); }

    FloatBuffer m_data; // its own memory, when it is not a view
    float* m_view = nullptr;
    std::int64_t m_viewCapacity = 0, m_viewSize = 0;
    std::shared_ptr<const void> m_owner;
};

} // namespace nc::engine
