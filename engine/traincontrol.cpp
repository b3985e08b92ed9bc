#include "traincontrol.h"

namespace nc::engine {

void TrainControl::cancel() {
    m_cancelled = true;
    m_changed.notify_all();
}

void TrainControl::pause() {
    m_paused = true;
}

void TrainControl::resume() {
    m_paused = false;
    m_changed.notify_all();
}

bool TrainControl::waitWhilePaused() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_paused || m_cancelled; });
    return !m_cancelled;
}

} // namespace nc::engine
