#include "trainer.h"

#include "backendlist.h"
#include "batchprefetcher.h"
#include "random.h"
#include "schedule.h"
#include "threading.h"

#include <chrono>
#include <numeric>
#include <optional>

namespace nc::engine {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

Optimizer makeOptimizer(const TrainConfig& config, const ParameterStore& params) {
    Result<Optimizer> o = Optimizer::create(config.optimizer, params);
    return o ? std::move(o).value() : Optimizer::create(OptimizerConfig{}, params).value();
}

} // namespace

std::vector<std::int64_t> epochOrder(std::int64_t size, std::uint64_t seed, int epoch) {
    std::vector<std::int64_t> order(static_cast<std::size_t>(size));
    std::iota(order.begin(), order.end(), 0);
    SplitMix random(hashKey(seed, 0x5f1e, std::uint64_t(epoch)));
    for (std::int64_t i = size - 1; i > 0; --i)
        std::swap(order[std::size_t(i)], order[random.below(std::uint64_t(i + 1))]);
    return order;
}

Trainer::Trainer(Model& model, Backend& backend, TrainConfig config)
    : m_model(model), m_executor(std::make_unique<Executor>(model, backend)),
      m_config(std::move(config)), m_optimizer(makeOptimizer(m_config, model.params())) {
    m_snapshots.onPublish = [this](const SnapshotPtr& snapshot) {
        if (onSnapshot)
            onSnapshot(snapshot);
    };
}

Trainer::~Trainer() {
    m_snapshots.drop();
    // The values and gradients move out; the optimizer's state goes with the optimizer.
    if (!m_arena.unpack(2 * m_model.params().size()))
        (void)backend().synchronize(); // collects the out-of-memory note a failed copy left
}

Status checkDataFits(const Model& model, const Dataset& data) {
    const Value& x = model.values()[std::size_t(model.inputStep().outputs[0])];
    const Value& y = model.values()[std::size_t(model.inputStep().outputs[1])];
    if (data.sampleDims() != x.perSample)
        return Status::error(data.name + " gives " + formatDims(data.sampleDims()) +
                             " samples, but the Input expects " + formatDims(x.perSample));
    if (data.targetDims() != y.perSample)
        return Status::error(data.name + " gives " + formatDims(data.targetDims()) +
                             " targets, but the Input's y is " + formatDims(y.perSample));
    if (model.classes() > 0) // names the first bad label's file and line, before training
        if (Status s = checkClassLabels(data, model.classes(), model.classifiesSteps()); !s)
            return s;
    if (model.classes() > 0 && data.classes > model.classes())
        return Status::error(data.name + " has " + std::to_string(data.classes) +
                             " classes, but the classifier has " + std::to_string(model.classes()) +
                             " outputs");
    return Status::ok();
}

Status Trainer::checkCompatible(const Dataset& data) const {
    return checkDataFits(m_model, data);
}

std::int64_t Trainer::metricsWindow() {
    if (m_config.metricsEvery > 0)
        return m_config.metricsEvery;
    return m_executor->backend().device().isCpu() ? 1 : 20;
}

SnapshotPtr Trainer::latestSnapshot() const {
    return m_snapshots.latest();
}

std::vector<Tensor*> Trainer::trainingState() {
    std::vector<Tensor*> state;
    for (Parameter& p : m_model.params().all())
        state.push_back(&p.value);
    for (Parameter& p : m_model.params().all())
        state.push_back(&p.grad);
    for (Tensor* t : m_optimizer.state())
        state.push_back(t);
    return state;
}

Status Trainer::placeTrainingState() {
    const std::vector<Tensor*> state = trainingState();
    if (m_arena.holds(state))
        return Status::ok();
    Status packed = m_arena.pack(backend(), state);
    if (packed || !packed.isOutOfMemory())
        return packed;
    // No room for the block in one piece: the tensors, now on the host, go up one by one
    // (the optimizer moves its state at its first step).
    return moveParametersTo(backend(), m_model.params());
}

const TensorArena* Trainer::packedState() {
    return m_arena.holds(trainingState()) ? &m_arena : nullptr;
}

Status Trainer::startSnapshot(int epoch) {
    return m_snapshots.start(backend(), m_model.params(), packedState(), epoch,
                             std::uint64_t(m_optimizer.steps()));
}

bool Trainer::canFallBack(const Status& failure) {
    return failure.isOutOfMemory() && m_config.fallBackToCpu && !backend().device().isCpu();
}

Status Trainer::fallBackToCpu(const Status& cause, const std::string& where) {
    Backend& device = backend();
    const std::string deviceName = device.name();
    if (Status s = device.synchronize(); !s)
        return cause;
    Result<std::unique_ptr<Backend>> cpu = createBackend("cpu");
    if (!cpu)
        return cause;
    auto bringHome = [&](Tensor& t) -> Status {
        Result<Tensor> host = toHost(device, t);
        if (!host)
            return host.status();
        t = std::move(host).value();
        return Status::ok();
    };
    for (Parameter& p : m_model.params().all())
        for (Tensor* t : {&p.value, &p.grad})
            if (Status s = bringHome(*t); !s)
                return cause.prefixed("(and moving to the CPU failed: " + s.message() + ") ");
    for (Tensor* t : m_optimizer.state())
        if (Status s = bringHome(*t); !s)
            return cause.prefixed("(and moving to the CPU failed: " + s.message() + ") ");
    m_snapshots.drop();
    m_arena.release(); // the views are gone, and with them the device block
    m_cpu = std::move(cpu).value();
    m_executor = std::make_unique<Executor>(m_model, *m_cpu);
    if (m_resident)
        m_resident->useHostTables();
    if (onFallback)
        onFallback(deviceName + " ran out of memory " + where + " (" + cause.message() +
                   "); training goes on on the CPU from the same weights");
    return Status::ok();
}

Result<Evaluation> Trainer::evaluate(const Dataset& data) {
    Result<Evaluation> result = evaluateOnce(data);
    if (!result && canFallBack(result.status())) {
        if (Status s = fallBackToCpu(result.status(), "evaluating " + data.name); !s)
            return s;
        result = evaluateOnce(data);
    }
    return result;
}

Result<Evaluation> Trainer::evaluateOnce(const Dataset& data) {
    if (Status s = checkCompatible(data); !s)
        return s;
    if (Status s = moveParametersTo(m_executor->backend(), m_model.params()); !s)
        return s;
    Evaluation result;
    if (data.size() == 0)
        return result;
    std::vector<std::int64_t> order(static_cast<std::size_t>(data.size()));
    std::iota(order.begin(), order.end(), 0);
    BatchPrefetcher batches(data, order, m_config.batch);
    Tensor x, y;
    WindowTotals all;
    StepMetricsWindow window(m_executor->backend(), metricsWindow());
    auto flush = [&]() -> Status {
        Result<WindowTotals> totals = window.flush(*m_executor);
        if (!totals)
            return totals.status();
        all += totals.value();
        return Status::ok();
    };
    while (batches.next(x, y)) {
        window.begin(*m_executor);
        if (Status s =
                m_executor->forward(x, y, Mode::Eval, {m_config.seed, 0, m_config.checkFinite});
            !s)
            return s;
        if (Status s = window.record(*m_executor, x.dim(0)); !s)
            return s;
        if (window.full())
            if (Status s = flush(); !s)
                return s;
    }
    if (Status s = flush(); !s)
        return s;
    result.loss = all.lossSum / double(all.seen);
    if (m_model.classifierLogits() >= 0)
        result.accuracy = all.accuracy();
    return result;
}

Status Trainer::fit(const Dataset& train, const Dataset* validation, TrainControl* control) {
    Status result = fitEpochs(train, validation, control);
    if (Status s = m_snapshots.collect(true); !s && result) // one under way when training stopped
        result = s;
    m_resident.reset(); // its device memory, and its reference to `train`
    return result;
}

Status Trainer::fitEpochs(const Dataset& train, const Dataset* validation, TrainControl* control) {
    if (auto valid = Optimizer::create(m_config.optimizer, m_model.params()); !valid)
        return Status::error(valid.message());
    if (Status s = checkCompatible(train); !s)
        return s;
    if (train.size() == 0)
        return Status::error(train.name + ": no training samples");
    bool hasLoss = false;
    for (const PlanStep& step : m_model.steps())
        hasLoss = hasLoss || isLoss(step.kind);
    if (!hasLoss)
        return Status::error("the graph has no loss node to train on");
    ThreadScope threads(m_config.threads);
    if (Status s = placeTrainingState(); !s)
        return s;
    m_resident = ResidentData::place(backend(), train, m_config.placement);
    const ResidentData* resident = m_resident.get(); // null: batches come from the host

    // Both last the whole run, so recorded steps are replayed in every epoch. The stepper comes
    // after the window: its recordings write to the window's log.
    std::optional<StepMetricsWindow> window(std::in_place, backend(), metricsWindow());
    std::optional<TrainingStep> stepper(std::in_place, *m_executor, m_model.params(), m_optimizer);
    for (int epoch = m_completedEpochs; epoch < m_config.epochs; ++epoch) {
        const auto start = Clock::now();
        const float lr =
            float(scheduledLearningRate(m_config.schedule, m_config.lr, epoch, m_config.epochs));
        const std::vector<std::int64_t> order = epochOrder(train.size(), m_config.seed, epoch);
        std::optional<BatchPrefetcher> batches;
        if (!resident)
            batches.emplace(train, order, m_config.batch);
        const std::int64_t steps = (train.size() + m_config.batch - 1) / m_config.batch;
        Tensor x, y;
        WindowTotals epochTotals;
        std::int64_t step = 0;
        // Reads the window back and reports progress.
        auto flush = [&]() -> Status {
            Result<WindowTotals> totals = window->flush(*m_executor);
            if (!totals)
                return totals.status();
            epochTotals += totals.value();
            const double seen = double(epochTotals.seen);
            const WindowTotals& w = totals.value();
            if (onStep && w.steps > 0) {
                const double elapsed = secondsSince(start);
                StepReport report{epoch + 1,      step,
                                  steps,          epochTotals.lossSum / seen,
                                  seen / elapsed, elapsed / double(step) * double(steps - step)};
                report.windowLoss = w.lossSum / double(w.seen);
                if (m_model.classifierLogits() >= 0)
                    report.windowAccuracy = w.accuracy();
                report.lr = lr;
                report.globalStep = std::int64_t(epoch) * steps + step;
                onStep(report);
            }
            return Status::ok();
        };
        for (std::int64_t first = 0; first < train.size(); first += m_config.batch) {
            const std::span<const std::int64_t> rows(
                order.data() + first, std::size_t(std::min(m_config.batch, train.size() - first)));
            if (!resident && !batches->next(x, y))
                break;
            if (control && control->isPaused() && m_snapshots.pending())
                if (Status s = m_snapshots.collect(true); !s) // the paused weights, for a look
                    return s;
            if (control && (!control->waitWhilePaused() || control->isCancelled()))
                return Status::error("cancelled");
            const std::uint64_t globalStep =
                std::uint64_t(epoch) * std::uint64_t(steps) + std::uint64_t(step);
            TensorObserver* watcher =
                m_watch.observer && step % std::max<std::int64_t>(1, m_watch.every) == 0
                    ? m_watch.observer
                    : nullptr;
            Status stepStatus =
                trainStep(x, y, resident, rows, globalStep, lr, watcher, *window, *stepper);
            if (!stepStatus && canFallBack(stepStatus)) {
                stepper.reset();            // its recording is the device's
                if (Status f = flush(); !f) // the steps the device finished
                    return f;
                if (Status f =
                        fallBackToCpu(stepStatus, "at step " + std::to_string(globalStep + 1));
                    !f)
                    return f;
                window.emplace(backend(), metricsWindow());
                stepper.emplace(*m_executor, m_model.params(), m_optimizer);
                stepStatus =
                    trainStep(x, y, resident, rows, globalStep, lr, watcher, *window, *stepper);
            }
            if (!stepStatus)
                return stepStatus;
            ++step;
            // One snapshot at a time: a request made meanwhile is served once it lands.
            if (m_snapshots.pending())
                if (Status s = m_snapshots.collect(false); !s)
                    return s;
            if (!m_snapshots.pending() &&
                (m_snapshotRequested.exchange(false) ||
                 (m_config.snapshotEvery > 0 && m_optimizer.steps() % m_config.snapshotEvery == 0)))
                if (Status s = startSnapshot(epoch); !s)
                    return s;
            if (window->full())
                if (Status f = flush(); !f)
                    return f;
        }
        if (Status s = flush(); !s)
            return s;
        EpochReport report;
        report.epoch = epoch + 1;
        report.epochs = m_config.epochs;
        report.lr = lr;
        const double seen = double(epochTotals.seen);
        report.trainLoss = epochTotals.lossSum / seen;
        if (m_model.classifierLogits() >= 0)
            report.trainAccuracy = epochTotals.accuracy();
        report.imagesPerSecond = seen / secondsSince(start);
        if (validation && validation->size() > 0) {
            Result<Evaluation> val = evaluate(*validation);
            if (!val)
                return val.status();
            report.valLoss = val.value().loss;
            report.valAccuracy = val.value().accuracy;
        }
        report.seconds = secondsSince(start);
        m_completedEpochs = epoch + 1;
        m_snapshots.drop(); // the epoch's own snapshot is newer
        if (Status s = startSnapshot(m_completedEpochs); !s)
            return s;
        if (Status s = m_snapshots.collect(true); !s)
            return s;
        if (onEpoch)
            if (Status s = onEpoch(report); !s)
                return s;
    }
    return Status::ok();
}

Status Trainer::trainStep(const Tensor& x, const Tensor& y, const ResidentData* resident,
                          std::span<const std::int64_t> rows, std::uint64_t globalStep, float lr,
                          TensorObserver* watcher, StepMetricsWindow& window,
                          TrainingStep& stepper) {
    window.begin(*m_executor);
    if (Status s = resident ? resident->bind(*m_executor, rows) : m_executor->bind(x, y); !s)
        return s;
    const RunContext context{m_config.seed, globalStep, m_config.checkFinite};
    if (Status s = stepper.run(context, lr, &window.log(), watcher); !s)
        return s;
    window.recorded(std::int64_t(rows.size()));
    return Status::ok();
}

} // namespace nc::engine
