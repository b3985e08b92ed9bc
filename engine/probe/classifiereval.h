#pragma once
// A classifier judged on a set of samples: the confusion matrix, per-class precision and
// recall, and every misclassified sample with what was predicted and how confidently.
//
//   Result<ClassifierReport> r = evaluateClassifier(model, *backend, validation);
//   r.value().confusion[truth * classes + predicted]

#include "../backend.h"
#include "../data/dataset.h"
#include "../model.h"

#include <cstdint>
#include <vector>

namespace nc::engine {

struct Misclassified {
    std::int64_t index = 0; // the sample in the data set evaluated
    int predicted = 0;
    int truth = 0;
    float confidence = 0; // softmax probability of the predicted class
};

struct ClassifierReport {
    int classes = 0;
    std::vector<std::int64_t> confusion; // classes x classes, row = true class, column = predicted
    std::vector<Misclassified> misclassified; // most confident first
    std::int64_t samples = 0; // judged: samples, or labelled time steps of a per-step classifier
    std::int64_t correct = 0;

    std::int64_t at(int truth, int predicted) const {
        return confusion[std::size_t(truth) * std::size_t(classes) + std::size_t(predicted)];
    }
    // Of the samples predicted as c, the share that are c (NaN when none was).
    double precision(int c) const;
    // Of the samples that are c, the share predicted as c (NaN when there are none).
    double recall(int c) const;
};

// Runs the model in eval mode over every sample of `data` (batches of `batch`). The model must
// classify (a SoftmaxCrossEntropy loss) and the labels must be class indices.
Result<ClassifierReport> evaluateClassifier(Model& model, Backend& backend, const Dataset& data,
                                            std::int64_t batch = 256);

} // namespace nc::engine
