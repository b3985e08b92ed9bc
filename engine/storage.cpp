#include "storage.h"

#include <algorithm>

namespace nc::engine {

void HostStorage::resize(std::int64_t elements) {
    if (!m_view) {
        m_data.resize(std::size_t(elements));
        return;
    }
    if (elements <= m_viewCapacity) {
        std::fill(m_view + std::min(m_viewSize, elements), m_view + elements, 0.0f);
        m_viewSize = elements;
        return;
    }
    // Past the view: memory of its own from now on.
    m_data.assign(m_view, m_view + m_viewSize);
    m_data.resize(std::size_t(elements));
    m_view = nullptr;
    m_viewCapacity = m_viewSize = 0;
    m_owner.reset();
}

void HostStorage::fill(float value, std::int64_t count) {
    std::fill(data(), data() + count, value);
}

std::unique_ptr<Storage> HostStorage::clone(std::int64_t count) const {
    auto copy = std::make_unique<HostStorage>();
    copy->m_data.assign(begin(), begin() + count);
    return copy;
}

std::unique_ptr<Storage> HostStorage::view(std::int64_t offset, std::int64_t count,
                                           std::shared_ptr<const void> owner) {
    auto v = std::make_unique<HostStorage>();
    v->m_view = data() + offset;
    v->m_viewCapacity = v->m_viewSize = count;
    v->m_owner = std::move(owner);
    return v;
}

} // namespace nc::engine
