#pragma once
// The frame the built-in datasets share: samples drawn in parallel, sample i from a generator
// seeded by (seed, stream, i) alone, labels cycling through the classes.

#include "dataset.h"

#include "../random.h"

namespace nc::engine {

inline double between(SplitMix& random, double lo, double hi) {
    return lo + (hi - lo) * random.uniform();
}

// draw(label, random, out) fills one sample of `sampleDims`. Rows [first, first + count) of
// the set: sample i is the same whichever rows are asked for, so one sample can be drawn alone.
template <typename Draw>
Dataset makeSyntheticSet(const char* name, std::int64_t classes, Dims sampleDims,
                         std::int64_t first, std::int64_t count, std::uint64_t seed,
                         std::uint64_t stream, Draw&& draw) {
    const std::int64_t size = product(sampleDims);
    sampleDims.insert(sampleDims.begin(), count);
    Tensor samples(sampleDims), targets({count, 1});
#pragma omp parallel for schedule(dynamic, 16)
    for (std::int64_t i = 0; i < count; ++i) {
        SplitMix random(hashKey(seed, stream, std::uint64_t(first + i)));
        const int label = int((first + i) % classes);
        targets[i] = float(label);
        draw(label, random, samples.data() + i * size);
    }
    Dataset data(std::move(samples), std::move(targets));
    data.name = name;
    data.classes = classes;
    return data;
}

} // namespace nc::engine
