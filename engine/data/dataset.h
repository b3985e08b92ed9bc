#pragma once
// A data set: samples [N, ...] and targets [N, ...] (a class index per sample for
// classification sets). Images are float in [0, 1], NCHW. The rows live in a read-only
// SampleSource (samplesource.h) that every copy and split of the set shares: copying a
// Dataset or taking rows of it copies no samples.
//
//   Dataset data(std::move(samples), std::move(targets)); // tables, moved in
//   auto [train, validation] = splitTail(data, 0.2);      // two views of the same rows
//   Tensor x, y;
//   train.gather(indices.data(), 32, x, y);               // a batch, copied out

#include "samplesource.h"
#include "vocabulary.h"

#include "../tensor.h"

#include "core/status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nc::engine {

class Dataset {
public:
    std::int64_t classes = 0; // 0: targets are not class indices
    std::string name;         // the spec it came from, for messages
    // Rows read from a text file (CSV): the file and the line of each row of the whole set,
    // so that a message can point at the row. Empty for other data.
    std::string sourceFile;
    std::shared_ptr<const std::vector<std::int64_t>> sourceLines;
    // Text data: the characters the tokens stand for (saved with a run, for sampling).
    Vocabulary vocabulary;

    Dataset() = default;
    // Rows held as tables: samples [N, ...] and targets [N, ...].
    Dataset(Tensor samples, Tensor targets);
    // Every row of `source`.
    explicit Dataset(std::shared_ptr<const SampleSource> source);

    std::int64_t size() const { return m_count; }
    const Dims& sampleDims() const { return m_sampleDims; }
    Dims targetDims() const;

    // Copies samples indices[0..count) into x and y, resizing them to [count, ...].
    void gather(const std::int64_t* indices, std::int64_t count, Tensor& x, Tensor& y) const;
    // "data/train.csv:17" for a row of a text file, else "mnist:DIR: sample 17" (the row's
    // number in the whole set, also for a split).
    std::string describeSample(std::int64_t index) const;

    // Rows [begin, end) of this set, sharing its memory.
    Dataset rows(std::int64_t begin, std::int64_t end) const;
    // The same values seen with other per-sample dimensions of the same size (a 1x28x28
    // image as 28 steps of 28 features).
    void reshapeSamples(const Dims& perSample);

    // Every row as host tensors [size, ...]. Where the rows are held as tables these are
    // read-only views of the set's own memory (nothing is copied); otherwise (text windows)
    // every row is written out, so size them first (datasize.h).
    struct Tables {
        Tensor samples, targets;
    };
    Tables tables() const;
    bool holdsTables() const { return m_source && m_source->samplesTable(); }
    // Every target is a class index below `count` without reading them (text tokens).
    bool targetsAreClassIndicesBelow(std::int64_t count) const {
        return m_source && m_source->targetsAreClassIndicesBelow(count);
    }

private:
    std::shared_ptr<const SampleSource> m_source;
    std::int64_t m_first = 0, m_count = 0;
    Dims m_sampleDims;
};

// Every target is a class index in 0..classes-1, or the error names the first sample that is
// not, and its file and line when it has them. For a classifier, before training starts.
// perStep: targets are a class per time step, where a negative one marks padding.
nc::core::Status checkClassLabels(const Dataset& data, std::int64_t classes, bool perStep = false);

// The first (1 - fraction) of the samples, and the last `fraction`, in order (no shuffling,
// so the split is the same every time). Both share the set's memory.
std::pair<Dataset, Dataset> splitTail(const Dataset& data, double fraction);

} // namespace nc::engine
