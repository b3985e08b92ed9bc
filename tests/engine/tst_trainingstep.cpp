// Recorded training steps (trainingstep.h): a step recorded once and replayed on a device that
// records work like a CUDA Graph (the fake device) gives the CPU's results bit for bit, a new
// batch size is queued once and then recorded, work that cannot be recorded is not tried, and
// recordings that keep breaking make it give up after a few tries.

#include "enginetesting.h"
#include "fakedevicebackend.h"

#include "engine/cpu/cpubackend.h"
#include "engine/data/dataspec.h"
#include "engine/executor.h"
#include "engine/opprofile.h"
#include "engine/optimizer.h"
#include "engine/stepmetrics.h"
#include "engine/trainingstep.h"

#include <QtTest>

using namespace nc::engine;
using nc::test::compileExample;
using nc::test::FakeDeviceBackend;
using nc::test::flatParams;
using nc::test::randomTensor;

namespace {

// What a run of steps leaves: the weights and the metrics of every step, on the host.
struct Outcome {
    std::vector<float> weights;
    std::vector<float> metrics;
    TrainingStep::Counts counts;
};

struct Batch {
    Tensor x, y;
};

// Batches for the mlp ([N, 1, 28, 28] and class labels) of the given sizes.
std::vector<Batch> batches(std::initializer_list<std::int64_t> sizes) {
    std::vector<Batch> list;
    std::uint64_t seed = 11;
    for (std::int64_t n : sizes) {
        Batch b{randomTensor({n, 1, 28, 28}, seed++, 0.0f, 1.0f), Tensor({n})};
        for (std::int64_t i = 0; i < n; ++i)
            b.y[i] = float((i * 7 + std::int64_t(seed)) % 10);
        list.push_back(std::move(b));
    }
    return list;
}

// Steps over `list` with Adam (dropout on, a rate that changes every step) and deferred
// finite checks; `prepare` may watch or change the executor before each step.
template <typename Prepare>
Outcome train(Backend& backend, const std::vector<Batch>& list, Prepare prepare) {
    Model model = compileExample("mlp");
    initializeParameters(model.params(), 3);
    nc::core::require(moveParametersTo(backend, model.params()));
    Executor executor(model, backend);
    OptimizerConfig config;
    config.kind = "adam";
    Optimizer optimizer = Optimizer::create(config, model.params()).value();
    TrainingStep stepper(executor, model.params(), optimizer);
    StepMetricsWindow window(backend, std::int64_t(list.size()));
    Outcome out;
    std::uint64_t step = 0;
    for (const Batch& b : list) {
        window.begin(executor);
        nc::core::require(executor.bind(b.x, b.y));
        TensorObserver* watcher = prepare(executor, step);
        const float lr = 0.001f * float(1 + step % 3);
        nc::core::require(stepper.run({5, step, true}, lr, &window.log(), watcher));
        window.recorded(b.x.dim(0));
        ++step;
    }
    Tensor log = toHost(backend, window.log()).value();
    nc::core::require(window.flush(executor).status());
    for (Parameter& p : model.params().all())
        p.value = toHost(backend, p.value).value();
    out.weights = flatParams(model);
    out.metrics.assign(log.data(), log.data() + log.size());
    out.counts = stepper.counts();
    return out;
}

// Runs `list` on the CPU and on a device that records, each step prepared by `prepare`, and
// checks that the device queued every step, tried no recording, and matched the CPU.
template <typename Prepare>
void expectEveryStepQueued(const std::vector<Batch>& list, Prepare prepare) {
    CpuBackend cpu;
    const Outcome expected = train(cpu, list, prepare);
    FakeDeviceBackend device;
    device.recording = true;
    const Outcome queued = train(device, list, prepare);
    QVERIFY(queued.weights == expected.weights);
    QCOMPARE(queued.counts.queued, std::int64_t(list.size()));
    QCOMPARE(queued.counts.recorded, 0);
    QCOMPARE(queued.counts.refused, 0);
    QVERIFY(!queued.counts.gaveUp);
}

TensorObserver* unwatched(Executor&, std::uint64_t) {
    return nullptr;
}

// Watches every value, which a recorded step could not hand over.
class EveryValue final : public TensorObserver {
public:
    bool wants(nc::graph::NodeId, nc::graph::PortIndex) override { return true; }
    void observe(nc::graph::NodeId, nc::graph::PortIndex, const Tensor& value) override {
        seen += value.size() > 0 ? 1 : 0;
    }
    int seen = 0;
};

} // namespace

class TrainingStepTest : public QObject {
    Q_OBJECT

private slots:
    void replaysGiveTheStepsRunAsQueued() {
        // Sizes 32, 32, 32, 20 twice: the last batch of each "epoch" is shorter.
        const auto list = batches({32, 32, 32, 20, 32, 32, 32, 20});
        CpuBackend cpu;
        const Outcome expected = train(cpu, list, unwatched);
        QCOMPARE(expected.counts.replayed, 0); // the CPU does not record
        FakeDeviceBackend device;
        device.recording = true;
        const Outcome recorded = train(device, list, unwatched);
        QVERIFY(recorded.weights == expected.weights);
        QVERIFY(recorded.metrics == expected.metrics);
        // 32: queued (the first), recorded, replayed; 20: a new size, queued; 32: the first
        // recording still fits its memory, replayed thrice; 20: seen before, recorded.
        QCOMPARE(recorded.counts.queued, 2);
        QCOMPARE(recorded.counts.recorded, 2);
        QCOMPARE(recorded.counts.replayed, 4);
        QCOMPARE(recorded.counts.refused, 0);
        QCOMPARE(device.recorder().replays, 6); // a recording's own step runs by a replay
    }

    void replaysReadTheStepFromMemory() {
        // Without dropout's step read on the device a replay would reuse the recorded step's
        // masks; with a constant rate a stale rate would not show, so the rate changes too.
        const auto list = batches({16, 16, 16, 16, 16, 16});
        CpuBackend cpu;
        FakeDeviceBackend device;
        device.recording = true;
        const Outcome recorded = train(device, list, unwatched);
        QCOMPARE(recorded.counts.replayed, 4);
        QVERIFY(recorded.weights == train(cpu, list, unwatched).weights);
    }

    void watchedStepsRunAsQueued() {
        const auto list = batches({16, 16, 16, 16, 16, 16});
        EveryValue observer;
        auto watchThird = [&](Executor&, std::uint64_t step) -> TensorObserver* {
            return step == 3 ? &observer : nullptr;
        };
        CpuBackend cpu;
        const Outcome expected = train(cpu, list, unwatched);
        FakeDeviceBackend device;
        device.recording = true;
        const Outcome watched = train(device, list, watchThird);
        QVERIFY(watched.weights == expected.weights);
        QVERIFY(observer.seen > 0);
        // queued, recorded, replayed, watched (queued), replayed twice.
        QCOMPARE(watched.counts.queued, 2);
        QCOMPARE(watched.counts.replayed, 3);
    }

    void checksThatWaitAreNotRecorded() {
        const auto list = batches({16, 16, 16, 16, 16});
        // A finite check that waits for the device could not be recorded: never tried.
        auto checkAtOnce = [](Executor& executor, std::uint64_t) -> TensorObserver* {
            executor.deferFiniteChecks(nullptr, 0);
            return nullptr;
        };
        expectEveryStepQueued(list, checkAtOnce);
    }

    // A profiled step waits after every op, which a recording could not: it runs as queued,
    // and the profile has each op of the mlp with a forward and a backward run per step on
    // each of the two backends.
    void profiledStepsAreQueuedAndTimed() {
        const auto list = batches({16, 16, 16, 16});
        OpProfile profile;
        auto profiled = [&](Executor& executor, std::uint64_t) -> TensorObserver* {
            executor.setProfile(&profile);
            return nullptr;
        };
        expectEveryStepQueued(list, profiled); // on the CPU, then on the device
        const Model model = compileExample("mlp");
        std::vector<std::string> ops;
        for (const PlanStep& step : model.steps())
            if (step.kind != OpKind::Input)
                ops.push_back(step.name);
        const auto entries = profile.entries();
        QCOMPARE(entries.size(), ops.size());
        double sum = 0;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            QCOMPARE(entries[i].name, ops[i]);
            QCOMPARE(entries[i].forwardRuns, 2 * std::int64_t(list.size()));
            QCOMPARE(entries[i].backwardRuns, 2 * std::int64_t(list.size()));
            QVERIFY(entries[i].forwardSeconds > 0 && entries[i].backwardSeconds >= 0);
            sum += entries[i].forwardSeconds + entries[i].backwardSeconds;
        }
        QCOMPARE(profile.totalSeconds(), sum);
    }

    void brokenRecordingsGiveUp() {
        const auto list = batches({16, 16, 16, 16, 16, 16, 16});
        CpuBackend cpu;
        const Outcome expected = train(cpu, list, unwatched);
        FakeDeviceBackend device;
        device.recording = true;
        device.breakEveryRecording = true;
        const Outcome broken = train(device, list, unwatched);
        QVERIFY(broken.weights == expected.weights);
        QVERIFY(broken.metrics == expected.metrics);
        // Queued, then three broken recordings (each step queued after), then queued.
        QCOMPARE(broken.counts.refused, TrainingStep::kMaxRecordingsInARow);
        QVERIFY(broken.counts.gaveUp);
        QCOMPARE(broken.counts.replayed, 0);
        QCOMPARE(broken.counts.queued, std::int64_t(list.size()));
        QCOMPARE(device.recorder().replays, 0);
    }

    void trainerReplaysAndMatchesTheCpu() {
        auto data = loadDataset("synthetic:digits?count=300", {1, 28, 28});
        QVERIFY(data.isOk());
        auto run = [&](Backend& backend) {
            Model model = compileExample("mlp");
            initializeParameters(model.params(), 3);
            TrainConfig config = nc::test::quickConfig(2);
            config.optimizer.kind = "adam";
            config.schedule = "cosine";
            config.metricsEvery = 3;
            config.placement = DataPlacement::Host;
            Trainer trainer(model, backend, config);
            std::vector<double> losses;
            trainer.onEpoch = [&](const EpochReport& r) {
                losses.push_back(r.trainLoss);
                losses.push_back(r.trainAccuracy);
                return nc::core::Status::ok();
            };
            nc::core::require(trainer.fit(data.value(), nullptr));
            return std::make_pair(flatParams(model), losses);
        };
        CpuBackend cpu;
        const auto expected = run(cpu);
        FakeDeviceBackend device;
        device.recording = true;
        const auto recorded = run(device);
        QVERIFY(recorded.first == expected.first);
        QVERIFY(recorded.second == expected.second);
        // 300 samples in batches of 64: 4 full and a short one per epoch. Epoch 1 queues the
        // first, records the second and replays two; the short one is queued. Validation does
        // not run, so epoch 2 replays the full batches and records the short one.
        QCOMPARE(device.recorder().replays, 2 + 1 + 4 + 1);
    }
};

QTEST_APPLESS_MAIN(TrainingStepTest)
#include "tst_trainingstep.moc"
