#include "tensor.h"

#include <algorithm>
#include <cassert>

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

Tensor::Tensor(Dims dims, float fill)
    : m_dims(std::move(dims)), m_data(std::size_t(product(m_dims)), fill) {}

void Tensor::resize(const Dims& dims) {
    m_dims = dims;
    m_data.resize(std::size_t(product(dims)));
}

void Tensor::reshape(const Dims& dims) {
    assert(product(dims) == size() && "reshape must keep the element count");
    m_dims = dims;
}

void Tensor::fill(float value) {
    std::fill(m_data.begin(), m_data.end(), value);
}

} // namespace nc::engine
