#include "dataset.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace nc::engine {

namespace {

Dims withBatch(std::int64_t n, const Dims& perSample) {
    Dims dims{n};
    dims.insert(dims.end(), perSample.begin(), perSample.end());
    return dims;
}

Dataset slice(const Dataset& data, std::int64_t begin, std::int64_t end) {
    Dataset part;
    part.classes = data.classes;
    part.name = data.name;
    part.sourceFile = data.sourceFile;
    part.vocabulary = data.vocabulary;
    if (!data.sourceLines.empty())
        part.sourceLines.assign(data.sourceLines.begin() + begin, data.sourceLines.begin() + end);
    const std::int64_t n = end - begin, xs = sampleSize(data.samples),
                       ys = sampleSize(data.targets);
    part.samples = Tensor(withBatch(n, data.sampleDims()));
    part.targets = Tensor(withBatch(n, data.targetDims()));
    std::copy(data.samples.data() + begin * xs, data.samples.data() + end * xs,
              part.samples.data());
    std::copy(data.targets.data() + begin * ys, data.targets.data() + end * ys,
              part.targets.data());
    return part;
}

} // namespace

void Dataset::gather(const std::int64_t* indices, std::int64_t count, Tensor& x, Tensor& y) const {
    const std::int64_t xs = sampleSize(samples), ys = sampleSize(targets);
    x.resize(withBatch(count, sampleDims()));
    y.resize(withBatch(count, targetDims()));
    for (std::int64_t i = 0; i < count; ++i) {
        const std::int64_t s = indices[i];
        std::copy(samples.data() + s * xs, samples.data() + (s + 1) * xs, x.data() + i * xs);
        std::copy(targets.data() + s * ys, targets.data() + (s + 1) * ys, y.data() + i * ys);
    }
}

std::string Dataset::describeSample(std::int64_t index) const {
    if (!sourceFile.empty() && index < std::int64_t(sourceLines.size()))
        return sourceFile + ":" + std::to_string(sourceLines[std::size_t(index)]);
    return name + ": sample " + std::to_string(index);
}

nc::core::Status checkClassLabels(const Dataset& data, std::int64_t classes, bool perStep) {
    if (data.targetDims().size() != 1 || (!perStep && data.targetDims() != Dims{1}))
        return nc::core::Status::ok(); // not class indices; the shape check says so
    const std::string range = "0.." + std::to_string(classes - 1);
    const std::int64_t steps = data.targetDims()[0];
    for (std::int64_t k = 0; k < data.targets.size(); ++k) {
        const float label = data.targets[k];
        if (label == std::floor(label) && label < float(classes) && (label >= 0 || perStep))
            continue;
        char text[32];
        const auto end = std::to_chars(text, text + sizeof text, label).ptr;
        const std::string shown(text, end);
        const std::int64_t i = k / steps;
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
    return nc::core::Status::ok();
}

std::pair<Dataset, Dataset> splitTail(const Dataset& data, double fraction) {
    const std::int64_t n = data.size();
    const std::int64_t held =
        std::clamp<std::int64_t>(std::int64_t(std::llround(double(n) * fraction)), 0, n);
    return {slice(data, 0, n - held), slice(data, n - held, n)};
}

} // namespace nc::engine
