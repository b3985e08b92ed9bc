#pragma once
// Trains a compiled model: epochs of shuffled mini-batches (prefetched on a background
// thread), an optimizer step per batch, validation after each epoch, progress callbacks, and
// a pause/resume/cancel token. Plain C++: the GUI runs it on a worker thread.
//
//   Trainer trainer(model, backend, config);
//   trainer.onEpoch = [](const EpochReport& r) { print(r); };
//   Status s = trainer.fit(train, &validation);

#include "backend.h"
#include "data/dataset.h"
#include "executor.h"
#include "model.h"
#include "optimizer.h"
#include "traincontrol.h"

#include <cmath>
#include <functional>
#include <limits>

namespace nc::engine {

struct TrainConfig {
    int epochs = 10;
    std::int64_t batch = 128;
    OptimizerConfig optimizer;
    double lr = 0.01;
    std::string schedule = "constant";
    std::uint64_t seed = 1;
    bool checkFinite = true;
};

struct StepReport {
    int epoch = 0; // 1-based
    std::int64_t step = 0, steps = 0;
    double loss = 0; // mean over the epoch so far
    double imagesPerSecond = 0;
    double etaSeconds = 0; // for the rest of the epoch
};

constexpr double kNoMetric = std::numeric_limits<double>::quiet_NaN();

struct Evaluation {
    double loss = kNoMetric;
    double accuracy = kNoMetric; // classifiers only
};

struct EpochReport {
    int epoch = 0, epochs = 0; // 1-based
    double trainLoss = kNoMetric, trainAccuracy = kNoMetric;
    double valLoss = kNoMetric, valAccuracy = kNoMetric;
    double seconds = 0, imagesPerSecond = 0, lr = 0;
};

class Trainer {
public:
    Trainer(Model& model, Backend& backend, TrainConfig config);

    // Runs the epochs after the ones already completed (see setCompletedEpochs).
    Status fit(const Dataset& train, const Dataset* validation, TrainControl* control = nullptr);
    Result<Evaluation> evaluate(const Dataset& data);

    std::function<void(const StepReport&)> onStep;
    // Called after every epoch; an error it returns (a failed checkpoint) stops training.
    std::function<Status(const EpochReport&)> onEpoch;

    Optimizer& optimizer() { return m_optimizer; }
    int completedEpochs() const { return m_completedEpochs; }
    // For resuming: the epochs a checkpoint already covered.
    void setCompletedEpochs(int epochs) { m_completedEpochs = epochs; }
    const TrainConfig& config() const { return m_config; }

private:
    Status checkCompatible(const Dataset& data) const;
    std::int64_t correctPredictions(const Tensor& y) const;

    Model& m_model;
    Executor m_executor;
    TrainConfig m_config;
    Optimizer m_optimizer;
    int m_completedEpochs = 0;
};

// The order of an epoch's samples: a permutation that depends only on (seed, epoch).
std::vector<std::int64_t> epochOrder(std::int64_t size, std::uint64_t seed, int epoch);

} // namespace nc::engine
