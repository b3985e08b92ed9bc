#pragma once
// Trains a compiled model: epochs of shuffled mini-batches (prefetched on a background
// thread), an optimizer step per batch, validation after each epoch, progress callbacks, and
// a pause/resume/cancel token. A GPU that runs out of memory hands the run over to the CPU
// at the step that failed (TrainConfig::fallBackToCpu), with the same results. Plain C++: the GUI
// runs it on a worker thread, with the thread count of its config. While it trains, other threads
// may read weight snapshots (latestSnapshot) and ask for a fresh one (requestSnapshot); an observer
// may watch activations and gradients every N steps without changing any result.
//
//   Trainer trainer(model, backend, config);
//   trainer.onEpoch = [](const EpochReport& r) { print(r); return Status::ok(); };
//   Status s = trainer.fit(train, &validation);

#include "backend.h"
#include "data/dataset.h"
#include "executor.h"
#include "model.h"
#include "optimizer.h"
#include "residentdata.h"
#include "snapshotpublisher.h"
#include "stepmetrics.h"
#include "tensorarena.h"
#include "traincontrol.h"
#include "trainingstep.h"
#include "weightsnapshot.h"

#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>

namespace nc::engine {

struct TrainConfig {
    int epochs = 10;
    std::int64_t batch = 128;
    OptimizerConfig optimizer;
    double lr = 0.01;
    std::string schedule = "constant";
    std::uint64_t seed = 1;
    bool checkFinite = true;
    int threads = 0;                // for the thread that runs fit(); 0: every core
    std::int64_t snapshotEvery = 0; // publish weights every N steps (0: epoch ends and requests)
    // Read loss and accuracy back (and report progress) every N steps; finite checks are
    // deferred to then too. 0: every step on the CPU, every 20 on a GPU.
    std::int64_t metricsEvery = 0;
    // When the device runs out of memory, move the weights and optimizer state to the CPU
    // and go on from the same step there (onFallback says so) instead of failing.
    bool fallBackToCpu = true;
    // Where batches come from: by default a GPU keeps a training set of up to 1 GB on the
    // device and gathers each batch there (residentdata.h).
    DataPlacement placement = DataPlacement::Auto;
};

// Watching a run: the observer sees the forward values and backward gradients it wants, on
// every `every`-th step, on the training thread.
struct TrainWatch {
    TensorObserver* observer = nullptr;
    std::int64_t every = 1;
};

struct StepReport {
    int epoch = 0; // 1-based
    std::int64_t step = 0, steps = 0;
    double loss = 0; // mean over the epoch so far
    double imagesPerSecond = 0;
    double etaSeconds = 0; // for the rest of the epoch
    // The steps since the last report (one step on the CPU): their mean loss and, for a
    // classifier, accuracy; what a per-step curve plots.
    double windowLoss = 0;
    double windowAccuracy = std::numeric_limits<double>::quiet_NaN();
    double lr = 0;
    std::int64_t globalStep = 0; // steps done since the run began, this one included
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
    // The model's parameters leave the trainer's one block (TensorArena), so the optimizer's
    // state is freed with the trainer.
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // Runs the epochs after the ones already completed (see setCompletedEpochs).
    Status fit(const Dataset& train, const Dataset* validation, TrainControl* control = nullptr);
    Result<Evaluation> evaluate(const Dataset& data);

    std::function<void(const StepReport&)> onStep;
    // Called after every epoch; an error it returns (a failed checkpoint) stops training.
    std::function<Status(const EpochReport&)> onEpoch;

    // Set before fit(); the observer must outlive it.
    void setWatch(TrainWatch watch) { m_watch = watch; }

    // The newest published snapshot, or null before the first; any thread.
    SnapshotPtr latestSnapshot() const;
    // Asks for a snapshot after the current step; any thread.
    void requestSnapshot() { m_snapshotRequested = true; }
    // Called on the training thread whenever a snapshot is published.
    std::function<void(const SnapshotPtr&)> onSnapshot;
    // Called on the training thread when training moves to the CPU after the device ran out
    // of memory; the message names the device, the step, the op and the size asked for.
    std::function<void(const std::string&)> onFallback;

    // The backend training runs on now: the one given, or the CPU after a fallback.
    Backend& backend() { return m_executor->backend(); }

    Optimizer& optimizer() { return m_optimizer; }
    int completedEpochs() const { return m_completedEpochs; }
    // For resuming: the epochs a checkpoint already covered.
    void setCompletedEpochs(int epochs) { m_completedEpochs = epochs; }
    const TrainConfig& config() const { return m_config; }

private:
    Status checkCompatible(const Dataset& data) const;
    Result<Evaluation> evaluateOnce(const Dataset& data);
    Status fitEpochs(const Dataset& train, const Dataset* validation, TrainControl* control);
    std::int64_t metricsWindow();
    // The arena when it holds the training state, else null.
    const TensorArena* packedState();
    // Starts a snapshot of the weights (published now, or after a later step on a GPU).
    Status startSnapshot(int epoch);
    // Parameter values, then gradients, then the optimizer's state.
    std::vector<Tensor*> trainingState();
    // Puts the training state on the backend's device, in one block (m_arena) when it fits.
    Status placeTrainingState();
    // One step on a batch: host tensors x and y, or with `resident` its rows `rows`; run or
    // replayed by `stepper`.
    Status trainStep(const Tensor& x, const Tensor& y, const ResidentData* resident,
                     std::span<const std::int64_t> rows, std::uint64_t globalStep, float lr,
                     TensorObserver* watcher, StepMetricsWindow& window, TrainingStep& stepper);
    // Whether `failure` is one the CPU can take over from.
    bool canFallBack(const Status& failure);
    // Moves parameters, gradients and optimizer state to a new CPU backend and runs there.
    Status fallBackToCpu(const Status& cause, const std::string& where);

    Model& m_model;
    std::unique_ptr<Backend> m_cpu; // after a fallback
    std::unique_ptr<Executor> m_executor;
    std::unique_ptr<ResidentData> m_resident; // the training set on the device, during fit()
    TrainConfig m_config;
    Optimizer m_optimizer;
    TensorArena m_arena; // holds trainingState() during fit()
    int m_completedEpochs = 0;
    TrainWatch m_watch;
    SnapshotPublisher m_snapshots;
    std::atomic<bool> m_snapshotRequested{false};
};

// Whether `data` fits the model's Input (sample and target shapes) and, for a classifier,
// has valid class labels; the message names the data and, for a bad label, its file and line.
Status checkDataFits(const Model& model, const Dataset& data);

// The order of an epoch's samples: a permutation that depends only on (seed, epoch).
std::vector<std::int64_t> epochOrder(std::int64_t size, std::uint64_t seed, int epoch);

} // namespace nc::engine
