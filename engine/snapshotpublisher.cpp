#include "snapshotpublisher.h"

namespace nc::engine {

SnapshotPtr SnapshotPublisher::latest() const {
    std::lock_guard lock(m_mutex);
    return m_latest;
}

Status SnapshotPublisher::start(Backend& backend, const ParameterStore& params,
                                const TensorArena* packed, int epoch, std::uint64_t step) {
    m_pending.reset();
    Pending pending{epoch, step, {}, {}, nullptr};
    for (const Parameter& p : params.all())
        pending.names.push_back(p.name);
    if (!packed) {
        std::vector<Tensor> values;
        for (const Parameter& p : params.all()) {
            Result<Tensor> host = toHost(backend, p.value);
            if (!host)
                return host.status();
            values.push_back(std::move(host).value());
        }
        publish(epoch, step, pending.names, std::move(values));
        return Status::ok();
    }
    Result<std::unique_ptr<PendingDownload>> copy =
        backend.downloadLater(packed->prefix(params.size()));
    if (!copy)
        return copy.status().prefixed("weight snapshot: ");
    pending.copy = std::move(copy).value();
    pending.layout = packed->layout(params.size());
    m_pending = std::move(pending);
    return collect(false); // a backend that copied at once publishes now
}

Status SnapshotPublisher::collect(bool wait) {
    if (!m_pending || (!wait && !m_pending->copy->ready()))
        return Status::ok();
    Pending pending = std::move(*m_pending);
    m_pending.reset();
    Result<Tensor> host = pending.copy->take();
    if (!host)
        return host.status().prefixed("weight snapshot: ");
    publish(pending.epoch, pending.step, pending.names,
            TensorArena::cut(host.value(), pending.layout));
    return Status::ok();
}

void SnapshotPublisher::publish(int epoch, std::uint64_t step,
                                const std::vector<std::string>& names, std::vector<Tensor> values) {
    auto snapshot = std::make_shared<WeightSnapshot>();
    snapshot->epoch = epoch;
    snapshot->step = step;
    snapshot->tensors.reserve(names.size());
    for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
        snapshot->tensors.emplace_back(names[i], std::move(values[i]));
    SnapshotPtr published = std::move(snapshot);
    {
        std::lock_guard lock(m_mutex);
        m_latest = published;
    }
    if (onPublish)
        onPublish(published);
}

} // namespace nc::engine
