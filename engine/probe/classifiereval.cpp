#include "classifiereval.h"

#include "edgeprobe.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nc::engine {

double ClassifierReport::precision(int c) const {
    std::int64_t predicted = 0;
    for (int t = 0; t < classes; ++t)
        predicted += at(t, c);
    return predicted == 0 ? NAN : double(at(c, c)) / double(predicted);
}

double ClassifierReport::recall(int c) const {
    std::int64_t actual = 0;
    for (int p = 0; p < classes; ++p)
        actual += at(c, p);
    return actual == 0 ? NAN : double(at(c, c)) / double(actual);
}

Result<ClassifierReport> evaluateClassifier(Model& model, Backend& backend, const Dataset& data,
                                            std::int64_t batch) {
    const int logitsValue = model.classifierLogits();
    if (logitsValue < 0)
        return Status::error("the graph does not classify (it has no SoftmaxCrossEntropy loss)");
    const int classes = int(model.classes());
    if (Status s = checkClassLabels(data, classes, model.classifiesSteps()); !s)
        return s;
    const Value& logits = model.values()[std::size_t(logitsValue)];
    const EdgeRef edge{logits.node, logits.port};

    ClassifierReport report;
    report.classes = classes;
    report.confusion.assign(std::size_t(classes) * std::size_t(classes), 0);
    std::vector<std::int64_t> indices(std::size_t(std::max<std::int64_t>(batch, 1)));
    Tensor x, y;
    for (std::int64_t start = 0; start < data.size(); start += batch) {
        const std::int64_t n = std::min(batch, data.size() - start);
        std::iota(indices.begin(), indices.begin() + n, start);
        data.gather(indices.data(), n, x, y);
        auto out = probeEdges(model, backend, x, std::span(&edge, 1));
        if (!out)
            return out.status();
        const Tensor& z = out.value()[0];
        const std::int64_t rows = z.size() / classes, rowsPerSample = rows / n;
        for (std::int64_t i = 0; i < rows; ++i) {
            if (y[i] < 0.0f) // padding of a per-step classifier
                continue;
            ++report.samples;
            const float* row = z.data() + i * classes;
            const int predicted = int(std::max_element(row, row + classes) - row);
            const int truth = int(y[i]);
            ++report.confusion[std::size_t(truth) * std::size_t(classes) + std::size_t(predicted)];
            if (predicted == truth) {
                ++report.correct;
                continue;
            }
            double sum = 0;
            for (int c = 0; c < classes; ++c)
                sum += std::exp(double(row[c]) - double(row[predicted]));
            report.misclassified.push_back(
                {start + i / rowsPerSample, predicted, truth, float(1.0 / sum)});
        }
    }
    std::stable_sort(
        report.misclassified.begin(), report.misclassified.end(),
        [](const Misclassified& a, const Misclassified& b) { return a.confidence > b.confidence; });
    return report;
}

} // namespace nc::engine
