#pragma once
// Takes the weight snapshots of a training run and publishes them (weightsnapshot.h) for other
// threads to read. With the parameters packed in one block on a GPU (TensorArena), a snapshot
// is one copy queued on a side stream: training goes on while it lands, and it is published
// after a later step. Otherwise a snapshot downloads each parameter at once.
//
//   publisher.start(backend, params, &arena, epoch, steps);  // after a step
//   publisher.collect(false);                                // after each later step
//   SnapshotPtr s = publisher.latest();                      // any thread

#include "parameterstore.h"
#include "tensorarena.h"
#include "weightsnapshot.h"

#include <functional>
#include <mutex>
#include <optional>

namespace nc::engine {

class SnapshotPublisher {
public:
    // Called on the training thread with each snapshot it publishes.
    std::function<void(const SnapshotPtr&)> onPublish;

    // The newest published snapshot, or null before the first; any thread.
    SnapshotPtr latest() const;

    // Starts a snapshot of the parameter values as the work queued so far leaves them.
    // `packed` is the arena that holds the parameters' values first, or null; without it, or
    // when the backend copies at once, the snapshot is published before this returns.
    Status start(Backend& backend, const ParameterStore& params, const TensorArena* packed,
                 int epoch, std::uint64_t step);
    // True while a started snapshot has not been published.
    bool pending() const { return m_pending.has_value(); }
    // Publishes the pending snapshot if its copy has landed, or after waiting for it when
    // `wait`. The copy holds the weights of the step it was started at, wherever the
    // parameters have moved since.
    Status collect(bool wait);
    // Forgets a pending snapshot (its copy is waited for, not published).
    void drop() { m_pending.reset(); }

private:
    struct Pending {
        int epoch = 0;
        std::uint64_t step = 0;
        std::vector<std::string> names;
        std::vector<TensorArena::Slice> layout; // of the values in the copied block
        std::unique_ptr<PendingDownload> copy;
    };
    void publish(int epoch, std::uint64_t step, const std::vector<std::string>& names,
                 std::vector<Tensor> values);

    mutable std::mutex m_mutex;
    SnapshotPtr m_latest;
    std::optional<Pending> m_pending;
};

} // namespace nc::engine
