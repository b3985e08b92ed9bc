#pragma once
// The weights of the run that is training, for the probe and filter views: the worker
// publishes the trainer's snapshots here and the GUI thread reads the latest, without locks
// on either side beyond a pointer swap. Snapshots cost a copy of the weights, so they are
// only taken while a view wants them, as often as the refresh setting asks: every N steps,
// or (N = 0, the default) about twelve times a second whatever the step rate.
//
//   live->setWanted(true);                      // a probe is open
//   live->setEverySteps(4);                     // a snapshot every 4th step
//   if (engine::SnapshotPtr w = live->latest()) probe(w);

#include "engine/weightsnapshot.h"

#include <atomic>
#include <chrono>
#include <mutex>

namespace nc::ui {

class LiveWeights {
public:
    // Any thread.
    void publish(engine::SnapshotPtr snapshot);
    engine::SnapshotPtr latest() const;
    void clear() { publish(nullptr); }
    void setWanted(bool wanted) { m_wanted = wanted; }
    bool wanted() const { return m_wanted; }
    // 0: automatic, one snapshot per kAutoInterval; N > 0: one every N steps.
    void setEverySteps(int steps) { m_everySteps = steps < 0 ? 0 : steps; }
    int everySteps() const { return m_everySteps; }

    // The training thread, once a step: whether to ask the trainer for a snapshot now.
    bool due();

    static constexpr std::chrono::milliseconds kAutoInterval{70}; // 12 a second or so
    static constexpr std::chrono::milliseconds kMinInterval{30};  // faster than a screen shows

private:
    mutable std::mutex m_mutex;
    engine::SnapshotPtr m_latest;
    std::atomic<bool> m_wanted{false};
    std::atomic<int> m_everySteps{0};
    int m_stepsSinceAsked = 0; // the training thread's own
    std::chrono::steady_clock::time_point m_lastAsked{};
};

} // namespace nc::ui
