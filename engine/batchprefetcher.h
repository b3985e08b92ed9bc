#pragma once
// Assembles the next mini-batches on a background thread while the current one trains. It
// holds `depth` batches at most, and reads the data set and the order where they are: both
// must outlive it.
//
//   BatchPrefetcher batches(data, order, 128);
//   Tensor x, y;
//   while (batches.next(x, y)) train(x, y);

#include "data/dataset.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <span>
#include <thread>

namespace nc::engine {

class BatchPrefetcher {
public:
    // `order` lists sample indices; batches take them in turn (the last may be smaller).
    BatchPrefetcher(const Dataset& data, std::span<const std::int64_t> order, std::int64_t batch,
                    int depth = 2);
    ~BatchPrefetcher();
    BatchPrefetcher(const BatchPrefetcher&) = delete;
    BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

    // The next batch, or false when the order is exhausted.
    bool next(Tensor& x, Tensor& y);
    std::int64_t batches() const;

private:
    void produce();

    const Dataset& m_data;
    std::span<const std::int64_t> m_order;
    std::int64_t m_batch;
    std::size_t m_depth;
    std::deque<std::pair<Tensor, Tensor>> m_ready;
    bool m_done = false;
    bool m_stop = false;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::thread m_thread;
};

} // namespace nc::engine
