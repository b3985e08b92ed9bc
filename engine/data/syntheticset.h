#pragma once
// The frame the built-in datasets share: `count` samples drawn in parallel, sample i from a
// generator seeded by (seed, stream, i) alone, labels cycling through the classes.

#include "dataset.h"

#include "../random.h"

namespace nc::engine {

inline double between(SplitMix& random, double lo, double hi) {
    return lo + (hi - lo) * random.uniform();
}

// draw(label, random, out) fills one sample of `sampleDims`.
template <typename Draw>
Dataset makeSyntheticSet(const char* name, std::int64_t classes, Dims sampleDims,
                         std::int64_t count, std::uint64_t seed, std::uint64_t stream,
                         Draw&& draw) {
    Dataset data;
    data.name = name;
    data.classes = classes;
    const std::int64_t size = product(sampleDims);
    sampleDims.insert(sampleDims.begin(), count);
    data.samples = Tensor(sampleDims);
    data.targets = Tensor({count, 1});
#pragma omp parallel for schedule(dynamic, 16)
    for (std::int64_t i = 0; i < count; ++i) {
        SplitMix random(hashKey(seed, stream, std::uint64_t(i)));
        const int label = int(i % classes);
        data.targets[i] = float(label);
        draw(label, random, data.samples.data() + i * size);
    }
    return data;
}

} // namespace nc::engine
