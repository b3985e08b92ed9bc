#include "residentdata.h"

namespace nc::engine {

std::unique_ptr<ResidentData> ResidentData::place(Backend& backend, const Dataset& data,
                                                  DataPlacement placement) {
    const bool onCpu = backend.device().isCpu();
    const std::int64_t bytes = (data.samples.size() + data.targets.size()) * 4;
    // Row numbers travel as 64-bit integers; a table must be whole on one device.
    if (placement == DataPlacement::Host ||
        (placement == DataPlacement::Auto && (onCpu || bytes > kResidentLimit)))
        return nullptr;
    std::unique_ptr<ResidentData> resident(new ResidentData(data));
    if (onCpu)
        return resident; // the dataset's own tensors are the tables
    resident->m_samples = backend.newTensor();
    resident->m_targets = backend.newTensor();
    if (!backend.upload(data.samples, resident->m_samples) ||
        !backend.upload(data.targets, resident->m_targets))
        return nullptr; // no room: batches are uploaded instead
    return resident;
}

Status ResidentData::bind(Executor& executor, std::span<const std::int64_t> rows) const {
    if (m_samples.empty())
        return executor.bindRows(m_data.samples, m_data.targets, rows);
    return executor.bindRows(m_samples, m_targets, rows);
}

void ResidentData::useHostTables() {
    m_samples = Tensor();
    m_targets = Tensor();
}

} // namespace nc::engine
