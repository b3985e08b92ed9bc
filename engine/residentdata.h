#pragma once
// A training set kept on the backend's device for the whole run, so that a step gathers its
// batch there (one small upload of row numbers) instead of assembling it on the host and
// uploading it: MNIST's 60,000 images are 188 MB on a GPU, a few milliseconds to copy once.
// On the CPU the dataset's own host tensors are the tables, without a copy. Text windows are
// not tables (dataset.h) and are always gathered on the host, a batch at a time.
//
//   std::unique_ptr<ResidentData> data = ResidentData::place(backend, train, placement);
//   if (data) data->bind(executor, rows);          // then executor.forwardBound(...)

#include "backend.h"
#include "data/dataset.h"
#include "executor.h"

#include <memory>
#include <span>

namespace nc::engine {

// Where training batches come from (TrainConfig::placement).
enum class DataPlacement {
    Auto,   // on the device when the backend is not the CPU and the data fits kResidentLimit
    Device, // always gathered by the backend (on the CPU: from the host tensors)
    Host,   // assembled on the host by a background thread and uploaded each step
};

class ResidentData {
public:
    // Data larger than this stays on the host under DataPlacement::Auto.
    static constexpr std::int64_t kResidentLimit = std::int64_t(1) << 30; // bytes

    // The data on `backend`'s device, or null when it stays on the host: the placement says
    // so, the rows are not tables, or the device has no room for them (nothing is lost:
    // batches are then uploaded).
    static std::unique_ptr<ResidentData> place(Backend& backend, const Dataset& data,
                                               DataPlacement placement);

    // Binds rows `rows` as the executor's next Input values (Executor::bindRows).
    Status bind(Executor& executor, std::span<const std::int64_t> rows) const;
    // Training moved to the CPU: gather from the dataset's host tensors from now on.
    void useHostTables();

private:
    ResidentData() = default;

    Dataset::Tables m_host;      // views of the dataset's own tables
    Tensor m_samples, m_targets; // on the device; empty while the host tensors serve
};

} // namespace nc::engine
