#include "tensor.h"

#include <cassert>
#include <utility>

namespace nc::engine {

std::int64_t product(const Dims& dims) {
    std::int64_t n = 1;
    for (std::int64_t d : dims)
        n *= d;
    return n;
}

std::string formatDims(const Dims& dims) {
    std::string text;
    for (std::size_t i = 0; i < dims.size(); ++i)
        text += (i ? "x" : "") + std::to_string(dims[i]);
    return text.empty() ? "scalar" : text;
}

Tensor::Tensor(Dims dims, float fill) {
    resize(dims);
    if (fill != 0.0f)
        this->fill(fill);
}

Tensor::Tensor(std::unique_ptr<Storage> storage) : m_storage(std::move(storage)) {
    m_storage->resize(0);
    m_data = m_storage->data();
}

Tensor::Tensor(const Tensor& other)
    : m_dims(other.m_dims),
      m_storage(other.m_storage ? other.m_storage->clone(other.m_size) : nullptr),
      m_data(m_storage ? m_storage->data() : nullptr), m_size(other.m_size) {}

Tensor::Tensor(Tensor&& other) noexcept
    : m_dims(std::move(other.m_dims)), m_storage(std::move(other.m_storage)),
      m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0)) {
    other.m_dims.clear();
}

Tensor& Tensor::operator=(Tensor&& other) noexcept {
    m_dims = std::move(other.m_dims);
    other.m_dims.clear();
    m_storage = std::move(other.m_storage);
    m_data = std::exchange(other.m_data, nullptr);
    m_size = std::exchange(other.m_size, 0);
    return *this;
}

Tensor& Tensor::operator=(const Tensor& other) {
    if (this != &other) {
        Tensor copy(other);
        *this = std::move(copy);
    }
    return *this;
}

void Tensor::resize(const Dims& dims) {
    if (!m_storage)
        m_storage = std::make_unique<HostStorage>();
    m_dims = dims;
    m_size = product(dims);
    m_storage->resize(m_size);
    m_data = m_storage->data();
}

void Tensor::reshape(const Dims& dims) {
    assert(product(dims) == size() && "reshape must keep the element count");
    m_dims = dims;
}

Tensor Tensor::view(std::int64_t offset, const Dims& dims, std::shared_ptr<const void> owner) {
    assert(m_storage && offset >= 0 && offset + product(dims) <= capacity() &&
           "a view lies inside its tensor's memory");
    assert(owner && "a view needs an owner that keeps the memory alive");
    Tensor v;
    v.m_dims = dims;
    v.m_size = product(dims);
    v.m_storage = m_storage->view(offset, v.m_size, std::move(owner));
    v.m_data = v.m_storage->data();
    return v;
}

void Tensor::fill(float value) {
    if (m_storage)
        m_storage->fill(value, m_size);
}

} // namespace nc::engine
