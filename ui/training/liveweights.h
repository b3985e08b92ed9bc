#pragma once
// The weights of the run that is training, for the probe and filter views: the worker
// publishes the trainer's snapshots here and the GUI thread reads the latest, without locks
// on either side beyond a pointer swap. Snapshots cost a copy of the weights, so they are
// only taken while a view wants them, at most every `interval`.
//
//   live->setWanted(true);                      // a probe is open
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

    // The training thread, once a step: whether to ask the trainer for a snapshot now.
    bool due();

    static constexpr std::chrono::milliseconds kInterval{30}; // about one a step

private:
    mutable std::mutex m_mutex;
    engine::SnapshotPtr m_latest;
    std::atomic<bool> m_wanted{false};
    std::chrono::steady_clock::time_point m_lastAsked{};
};

} // namespace nc::ui
