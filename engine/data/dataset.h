#pragma once
// A dataset held in memory: samples [N, ...] and targets [N, ...] (a class index per sample
// for classification sets). Images are float in [0, 1], NCHW.

#include "../tensor.h"
#include "vocabulary.h"

#include "core/status.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nc::engine {

struct Dataset {
    Tensor samples;
    Tensor targets;
    std::int64_t classes = 0; // 0: targets are not class indices
    std::string name;         // the spec it came from, for messages
    // Rows read from a text file (CSV): the file and each sample's line, so that a message
    // can point at the row. Empty for other data.
    std::string sourceFile;
    std::vector<std::int64_t> sourceLines;
    // Text data: the characters the tokens stand for (saved with a run, for sampling).
    Vocabulary vocabulary;

    std::int64_t size() const { return samples.rank() > 0 ? samples.dim(0) : 0; }
    Dims sampleDims() const { return Dims(samples.dims().begin() + 1, samples.dims().end()); }
    Dims targetDims() const { return Dims(targets.dims().begin() + 1, targets.dims().end()); }

    // Copies samples indices[0..count) into x and y, resizing them to [count, ...].
    void gather(const std::int64_t* indices, std::int64_t count, Tensor& x, Tensor& y) const;
    // "data/train.csv:17" for a row of a text file, else "mnist:DIR: sample 17".
    std::string describeSample(std::int64_t index) const;
};

// Every target is a class index in 0..classes-1, or the error names the first sample that is
// not, and its file and line when it has them. For a classifier, before training starts.
// perStep: targets are a class per time step, where a negative one marks padding.
nc::core::Status checkClassLabels(const Dataset& data, std::int64_t classes, bool perStep = false);

// The first (1 - fraction) of the samples, and the last `fraction`, in order (no shuffling,
// so the split is the same every time).
std::pair<Dataset, Dataset> splitTail(const Dataset& data, double fraction);

} // namespace nc::engine
