#include "liveweights.h"

namespace nc::ui {

void LiveWeights::publish(engine::SnapshotPtr snapshot) {
    std::lock_guard lock(m_mutex);
    m_latest = std::move(snapshot);
}

engine::SnapshotPtr LiveWeights::latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

bool LiveWeights::due() {
    if (!m_wanted)
        return false;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastAsked < kInterval)
        return false;
    m_lastAsked = now;
    return true;
}

} // namespace nc::ui
