#pragma once
// A dataset held in memory: samples [N, ...] and targets [N, ...] (a class index per sample
// for classification sets). Images are float in [0, 1], NCHW.

#include "../tensor.h"

#include <cstdint>
#include <string>
#include <utility>

namespace nc::engine {

struct Dataset {
    Tensor samples;
    Tensor targets;
    std::int64_t classes = 0; // 0: targets are not class indices
    std::string name;         // the spec it came from, for messages

    std::int64_t size() const { return samples.rank() > 0 ? samples.dim(0) : 0; }
    Dims sampleDims() const { return Dims(samples.dims().begin() + 1, samples.dims().end()); }
    Dims targetDims() const { return Dims(targets.dims().begin() + 1, targets.dims().end()); }

    // Copies samples indices[0..count) into x and y, resizing them to [count, ...].
    void gather(const std::int64_t* indices, std::int64_t count, Tensor& x, Tensor& y) const;
};

// The first (1 - fraction) of the samples, and the last `fraction`, in order (no shuffling,
// so the split is the same every time).
std::pair<Dataset, Dataset> splitTail(const Dataset& data, double fraction);

} // namespace nc::engine
