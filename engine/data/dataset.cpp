#include "dataset.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>

namespace nc::engine {

namespace {

Dims withBatch(std::int64_t n, const Dims& perSample) {
    Dims dims{n};
    dims.insert(dims.end(), perSample.begin(), perSample.end());
    return dims;
}

Dims perSample(const Tensor& t) {
    return t.rank() > 0 ? Dims(t.dims().begin() + 1, t.dims().end()) : Dims{};
}

// Rows stored as two tensors, samples [N, ...] and targets [N, ...].
class TableSource final : public SampleSource {
public:
    TableSource(Tensor samples, Tensor targets)
        : m_samples(std::move(samples)), m_targets(std::move(targets)),
          m_sampleDims(perSample(m_samples)), m_targetDims(perSample(m_targets)),
          m_sampleSize(product(m_sampleDims)), m_targetSize(product(m_targetDims)) {}

    std::int64_t size() const override { return m_samples.rank() > 0 ? m_samples.dim(0) : 0; }
    const Dims& sampleDims() const override { return m_sampleDims; }
    const Dims& targetDims() const override { return m_targetDims; }
    void read(std::int64_t row, float* x, float* y) const override {
        std::copy_n(m_samples.data() + row * m_sampleSize, m_sampleSize, x);
        std::copy_n(m_targets.data() + row * m_targetSize, m_targetSize, y);
    }
    const Tensor* samplesTable() const override { return &m_samples; }
    const Tensor* targetsTable() const override { return &m_targets; }

private:
    Tensor m_samples, m_targets;
    Dims m_sampleDims, m_targetDims;
    std::int64_t m_sampleSize, m_targetSize;
};

} // namespace

Dataset::Dataset(Tensor samples, Tensor targets)
    : Dataset(std::make_shared<const TableSource>(std::move(samples), std::move(targets))) {}

Dataset::Dataset(std::shared_ptr<const SampleSource> source)
    : m_source(std::move(source)), m_count(m_source->size()), m_sampleDims(m_source->sampleDims()) {
}

Dims Dataset::targetDims() const {
    return m_source ? m_source->targetDims() : Dims{};
}

void Dataset::gather(const std::int64_t* indices, std::int64_t count, Tensor& x, Tensor& y) const {
    const Dims targets = targetDims();
    x.resize(withBatch(count, m_sampleDims));
    y.resize(withBatch(count, targets));
    const std::int64_t xs = product(m_sampleDims), ys = product(targets);
    for (std::int64_t i = 0; i < count; ++i) {
        assert(indices[i] >= 0 && indices[i] < m_count && "a row of this set");
        m_source->read(m_first + indices[i], x.data() + i * xs, y.data() + i * ys);
    }
}

std::string Dataset::describeSample(std::int64_t index) const {
    const std::int64_t row = m_first + index;
    if (!sourceFile.empty() && sourceLines && row < std::int64_t(sourceLines->size()))
        return sourceFile + ":" + std::to_string((*sourceLines)[std::size_t(row)]);
    return name + ": sample " + std::to_string(row);
}

Dataset Dataset::rows(std::int64_t begin, std::int64_t end) const {
    assert(0 <= begin && begin <= end && end <= m_count && "rows of this set");
    Dataset part = *this;
    part.m_first = m_first + begin;
    part.m_count = end - begin;
    return part;
}

void Dataset::reshapeSamples(const Dims& perSample) {
    assert(product(perSample) == product(m_sampleDims) && "a reshape keeps the sample's size");
    m_sampleDims = perSample;
}

Dataset::Tables Dataset::tables() const {
    Tables t;
    const Dims targets = targetDims();
    if (!holdsTables() || m_count == 0) {
        std::vector<std::int64_t> all(std::size_t(m_count), 0);
        for (std::int64_t i = 0; i < m_count; ++i)
            all[std::size_t(i)] = i;
        gather(all.data(), m_count, t.samples, t.targets);
        return t;
    }
    // Views for reading only: the tables stay the source's, kept alive by the views.
    auto* samples = const_cast<Tensor*>(m_source->samplesTable());
    auto* targetsTable = const_cast<Tensor*>(m_source->targetsTable());
    t.samples =
        samples->view(m_first * product(m_sampleDims), withBatch(m_count, m_sampleDims), m_source);
    t.targets =
        targetsTable->view(m_first * product(targets), withBatch(m_count, targets), m_source);
    return t;
}

nc::core::Status checkClassLabels(const Dataset& data, std::int64_t classes, bool perStep) {
    const Dims targetDims = data.targetDims();
    if (targetDims.size() != 1 || (!perStep && targetDims != Dims{1}))
        return nc::core::Status::ok(); // not class indices; the shape check says so
    if (data.targetsAreClassIndicesBelow(classes))
        return nc::core::Status::ok();
    const std::string range = "0.." + std::to_string(classes - 1);
    const std::int64_t steps = targetDims[0];
    // Tables are read where they are; other rows are gathered a chunk at a time.
    const Dataset::Tables whole = data.holdsTables() ? data.tables() : Dataset::Tables{};
    constexpr std::int64_t kChunk = 1024;
    std::vector<std::int64_t> chunk;
    Tensor x, y;
    for (std::int64_t first = 0; first < data.size(); first += kChunk) {
        const std::int64_t rows = std::min(kChunk, data.size() - first);
        const float* labels = nullptr;
        if (data.holdsTables()) {
            labels = whole.targets.data() + first * steps;
        } else {
            chunk.resize(std::size_t(rows));
            for (std::int64_t i = 0; i < rows; ++i)
                chunk[std::size_t(i)] = first + i;
            data.gather(chunk.data(), rows, x, y);
            labels = y.data();
        }
        for (std::int64_t k = 0; k < rows * steps; ++k) {
            const float label = labels[k];
            if (label == std::floor(label) && label < float(classes) && (label >= 0 || perStep))
                continue;
            char text[32];
            const auto end = std::to_chars(text, text + sizeof text, label).ptr;
            const std::string shown(text, end);
            const std::int64_t i = first + k / steps;
            const std::string what = perStep ? data.describeSample(i) + ", step " +
                                                   std::to_string(k % steps) + ": class " + shown
                                             : data.describeSample(i) + ": label " + shown;
            const std::string allowed = range + (perStep ? ", or negative for padding" : "");
            if (label != std::floor(label) || !(label >= 0 || perStep))
                return nc::core::Status::error(what + " is not a class index (a whole number " +
                                               allowed + ")");
            return nc::core::Status::error(what + " is outside the classifier's " +
                                           std::to_string(classes) + " classes (" + allowed + ")");
        }
    }
    return nc::core::Status::ok();
}

std::pair<Dataset, Dataset> splitTail(const Dataset& data, double fraction) {
    const std::int64_t n = data.size();
    const std::int64_t held =
        std::clamp<std::int64_t>(std::int64_t(std::llround(double(n) * fraction)), 0, n);
    return {data.rows(0, n - held), data.rows(n - held, n)};
}

} // namespace nc::engine
