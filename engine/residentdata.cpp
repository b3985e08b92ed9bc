#include "residentdata.h"

namespace nc::engine {

std::unique_ptr<ResidentData> ResidentData::place(Backend& backend, const Dataset& data,
                                                  DataPlacement placement) {
    const bool onCpu = backend.device().isCpu();
    const std::int64_t bytes =
        data.size() * (product(data.sampleDims()) + product(data.targetDims())) * 4;
    // Row numbers travel as 64-bit integers; a table must be whole on one device.
    if (!data.holdsTables() || placement == DataPlacement::Host ||
        (placement == DataPlacement::Auto && (onCpu || bytes > kResidentLimit)))
        return nullptr;
    std::unique_ptr<ResidentData> resident(new ResidentData);
    resident->m_host = data.tables();
    if (onCpu)
        return resident; // the dataset's own tensors are the tables
    resident->m_samples = backend.newTensor();
    resident->m_targets = backend.newTensor();
    if (!backend.upload(resident->m_host.samples, resident->m_samples) ||
        !backend.upload(resident->m_host.targets, resident->m_targets))
        return nullptr; // no room: batches are uploaded instead
    return resident;
}

Status ResidentData::bind(Executor& executor, std::span<const std::int64_t> rows) const {
    if (m_samples.empty())
        return executor.bindRows(m_host.samples, m_host.targets, rows);
    return executor.bindRows(m_samples, m_targets, rows);
}

void ResidentData::useHostTables() {
    m_samples = Tensor();
    m_targets = Tensor();
}

} // namespace nc::engine
