#include "cudastorage.h"

#include "elementwise.h"

#include <algorithm>

namespace nc::engine::cuda {

CudaStorage::~CudaStorage() {
    if (!m_owner)
        m_context->release(m_data);
}

void CudaStorage::resize(std::int64_t elements) {
    m_context->activate();
    if (elements > m_capacity) {
        auto* grown = static_cast<float*>(m_context->allocate(std::size_t(elements) * 4));
        if (!grown)
            return; // noted in the context; the next op reports it
        if (m_size > 0)
            if (Status s = check(cudaMemcpyAsync(grown, m_data, std::size_t(m_size) * 4,
                                                 cudaMemcpyDeviceToDevice, m_context->stream()),
                                 "cudaMemcpyAsync (growing a tensor)");
                !s)
                m_context->noteError(s);
        if (!m_owner) // a view that outgrows its range gets memory of its own
            m_context->release(m_data);
        m_owner.reset();
        m_data = grown;
        m_capacity = elements;
    }
    if (elements > m_size)
        if (Status s = check(cudaMemsetAsync(m_data + m_size, 0, std::size_t(elements - m_size) * 4,
                                             m_context->stream()),
                             "cudaMemsetAsync");
            !s)
            m_context->noteError(s);
    m_size = elements;
}

void CudaStorage::fill(float value, std::int64_t count) {
    count = std::min(count, m_capacity);
    if (count <= 0)
        return;
    m_context->activate();
    if (value == 0.0f) {
        if (Status s =
                check(cudaMemsetAsync(m_data, 0, std::size_t(count) * 4, m_context->stream()),
                      "cudaMemsetAsync");
            !s)
            m_context->noteError(s);
        return;
    }
    if (Status s = fillDevice(*m_context, m_data, value, count); !s)
        m_context->noteError(s);
}

std::unique_ptr<Storage> CudaStorage::clone(std::int64_t count) const {
    auto copy = std::make_unique<CudaStorage>(m_context);
    if (count <= 0)
        return copy;
    m_context->activate();
    auto* data = static_cast<float*>(m_context->allocate(std::size_t(count) * 4));
    if (!data)
        return copy;
    if (Status s = check(cudaMemcpyAsync(data, m_data, std::size_t(count) * 4,
                                         cudaMemcpyDeviceToDevice, m_context->stream()),
                         "cudaMemcpyAsync (copying a tensor)");
        !s)
        m_context->noteError(s);
    copy->m_data = data;
    copy->m_capacity = copy->m_size = count;
    return copy;
}

std::unique_ptr<Storage> CudaStorage::makeEmpty() const {
    return std::make_unique<CudaStorage>(m_context);
}

std::unique_ptr<Storage> CudaStorage::view(std::int64_t offset, std::int64_t count,
                                           std::shared_ptr<const void> owner) {
    auto v = std::make_unique<CudaStorage>(m_context);
    v->m_data = m_data + offset;
    v->m_capacity = v->m_size = count;
    v->m_owner = std::move(owner);
    return v;
}

} // namespace nc::engine::cuda
