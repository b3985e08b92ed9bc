#pragma once
// Where a Dataset's rows live: read-only and shared by every copy and split of the set, so
// holding a set twice never holds its rows twice. Two kinds: tables in memory (samples
// [N, ...] and targets [N, ...], dataset.cpp) and windows into one text's tokens
// (textwindows.h), which are gathered into batches on demand instead of being stored.

#include "../tensor.h"

#include <cstdint>

namespace nc::engine {

class SampleSource {
public:
    virtual ~SampleSource() = default;

    virtual std::int64_t size() const = 0;
    virtual const Dims& sampleDims() const = 0;
    virtual const Dims& targetDims() const = 0;
    // Copies row `row`'s sample to `x` and its targets to `y` (product(sampleDims()) and
    // product(targetDims()) floats).
    virtual void read(std::int64_t row, float* x, float* y) const = 0;

    // The host tensors holding every row, when the rows are stored as tables; null otherwise.
    virtual const Tensor* samplesTable() const { return nullptr; }
    virtual const Tensor* targetsTable() const { return nullptr; }
    // Every target is a class index below `classes` by construction (text tokens), so a check
    // of the labels need not read them.
    virtual bool targetsAreClassIndicesBelow(std::int64_t classes) const {
        (void)classes;
        return false;
    }
};

} // namespace nc::engine
