#include "traincontrol.h"

namespace nc::engine {

// Every flag changes under the mutex: a waiter that has just checked the predicate and is
// about to sleep then cannot miss the notification (the classic lost wake-up).
void TrainControl::cancel() {
    {
        std::lock_guard lock(m_mutex);
        m_cancelled = true;
    }
    m_changed.notify_all();
}

void TrainControl::pause() {
    std::lock_guard lock(m_mutex);
    m_paused = true;
}

void TrainControl::resume() {
    {
        std::lock_guard lock(m_mutex);
        m_paused = false;
    }
    m_changed.notify_all();
}

bool TrainControl::waitWhilePaused() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_paused || m_cancelled; });
    return !m_cancelled;
}

} // namespace nc::engine
