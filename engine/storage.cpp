#include "storage.h"

#include <algorithm>

namespace nc::engine {

void HostStorage::fill(float value, std::int64_t count) {
    std::fill(m_data.begin(), m_data.begin() + count, value);
}

std::unique_ptr<Storage> HostStorage::clone(std::int64_t count) const {
    auto copy = std::make_unique<HostStorage>();
    copy->m_data.assign(m_data.begin(), m_data.begin() + count);
    return copy;
}

} // namespace nc::engine
