#pragma once
// A pause/resume/cancel token shared between a trainer and whoever drives it (the CLI's
// signal handler, the GUI's buttons). The trainer checks it between steps. Any thread may
// call any member at any time. cancel() is not async-signal-safe: a signal handler sets its
// own flag and the driving thread forwards it.

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace nc::engine {

class TrainControl {
public:
    void cancel();
    void pause();
    void resume();
    bool isCancelled() const { return m_cancelled.load(); }
    bool isPaused() const { return m_paused.load(); }
    // Blocks while paused; returns false if cancelled.
    bool waitWhilePaused();

private:
    std::atomic<bool> m_cancelled{false};
    std::atomic<bool> m_paused{false};
    std::mutex m_mutex;
    std::condition_variable m_changed;
};

} // namespace nc::engine
