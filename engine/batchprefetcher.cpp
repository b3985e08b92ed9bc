#include "batchprefetcher.h"

namespace nc::engine {

BatchPrefetcher::BatchPrefetcher(const Dataset& data, std::span<const std::int64_t> order,
                                 std::int64_t batch, int depth)
    : m_data(data), m_order(order), m_batch(batch), m_depth(std::size_t(depth)),
      m_thread([this] { produce(); }) {}

BatchPrefetcher::~BatchPrefetcher() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

std::int64_t BatchPrefetcher::batches() const {
    return (std::int64_t(m_order.size()) + m_batch - 1) / m_batch;
}

void BatchPrefetcher::produce() {
    for (std::size_t begin = 0; begin < m_order.size(); begin += std::size_t(m_batch)) {
        const std::int64_t count =
            std::min<std::int64_t>(m_batch, std::int64_t(m_order.size() - begin));
        std::pair<Tensor, Tensor> batch;
        m_data.gather(m_order.data() + begin, count, batch.first, batch.second);
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [this] { return m_stop || m_ready.size() < m_depth; });
        if (m_stop)
            return;
        m_ready.push_back(std::move(batch));
        m_changed.notify_all();
    }
    std::lock_guard lock(m_mutex);
    m_done = true;
    m_changed.notify_all();
}

bool BatchPrefetcher::next(Tensor& x, Tensor& y) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_ready.empty() || m_done; });
    if (m_ready.empty())
        return false;
    x = std::move(m_ready.front().first);
    y = std::move(m_ready.front().second);
    m_ready.pop_front();
    m_changed.notify_all();
    return true;
}

} // namespace nc::engine
