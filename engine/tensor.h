#pragma once
// A dense float32 tensor, batch first, NCHW for images: dimensions, the device it lives on
// and a handle to its storage (storage.h). The ops that read and write it live in the
// backends; data() is a pointer in the tensor's own device's address space, so only the
// backend of that device dereferences it. A default or Dims-constructed tensor is on the host.
// Copies are deep (a copy owns its memory); moves are cheap.

#include "device.h"
#include "storage.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nc::engine {

using Dims = std::vector<std::int64_t>;

class Tensor {
public:
    Tensor() = default;
    explicit Tensor(Dims dims, float fill = 0.0f);
    // An empty tensor whose memory comes from `storage` (a backend's device memory).
    explicit Tensor(std::unique_ptr<Storage> storage);
    Tensor(const Tensor& other);
    Tensor& operator=(const Tensor& other);
    Tensor(Tensor&& other) noexcept;
    Tensor& operator=(Tensor&& other) noexcept; // the source is left empty

    const Dims& dims() const { return m_dims; }
    std::int64_t dim(int axis) const { return m_dims.at(std::size_t(axis)); }
    int rank() const { return int(m_dims.size()); }
    std::int64_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    std::int64_t capacity() const { return m_storage ? m_storage->capacity() : 0; }
    Device device() const { return m_storage ? m_storage->device() : Device::cpu(); }
    bool onHost() const { return device().isCpu(); }

    float* data() { return m_data; }
    const float* data() const { return m_data; }
    // Host tensors only.
    float& operator[](std::int64_t i) { return m_data[i]; }
    float operator[](std::int64_t i) const { return m_data[i]; }

    // Changes the dimensions; the storage grows when needed and is never shrunk, so buffers
    // can be reused across batches. New elements are zero.
    void resize(const Dims& dims);
    // Same element count, new dimensions (Flatten, Reshape).
    void reshape(const Dims& dims);
    void fill(float value);
    void zero() { fill(0.0f); }
    // A tensor of `dims` over this one's memory from element `offset` on: it reads and writes
    // the same elements until it is resized past them; `owner` keeps this tensor's memory
    // alive meanwhile (TensorArena). Copies of a view are ordinary tensors.
    Tensor view(std::int64_t offset, const Dims& dims, std::shared_ptr<const void> owner);

private:
    Dims m_dims;
    std::unique_ptr<Storage> m_storage;
    float* m_data = nullptr; // m_storage->data(), cached for the hot paths
    std::int64_t m_size = 0;
};

std::int64_t product(const Dims& dims);
std::string formatDims(const Dims& dims); // "128x32x24x24"
// Elements per sample: the product of all dimensions but the first.
inline std::int64_t sampleSize(const Tensor& t) {
    return t.rank() > 0 && t.dim(0) > 0 ? t.size() / t.dim(0) : 0;
}

} // namespace nc::engine
