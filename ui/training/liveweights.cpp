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
    ++m_stepsSinceAsked;
    const auto now = std::chrono::steady_clock::now();
    const int every = m_everySteps;
    const bool time = now - m_lastAsked >= (every == 0 ? kAutoInterval : kMinInterval);
    if (!time || (every > 0 && m_stepsSinceAsked < every))
        return false;
    m_lastAsked = now;
    m_stepsSinceAsked = 0;
    return true;
}

} // namespace nc::ui
