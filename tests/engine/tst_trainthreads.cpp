// The trainer across threads: pause, resume and cancel from other threads never lose a
// wake-up; the configured thread count reaches the thread that trains; weight snapshots are
// published while training and read safely from other threads.

#include "enginetesting.h"
#include "fakedevicebackend.h"

#include "engine/cpu/cpubackend.h"
#include "engine/data/dataspec.h"
#include "engine/threading.h"
#include "engine/traincontrol.h"

#include <QtTest>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <thread>

using namespace nc::engine;
using namespace nc::test;
using namespace std::chrono_literals;

class TrainThreadsTest : public QObject {
    Q_OBJECT

private slots:
    // A consumer that waits whenever paused, against producers that toggle pause and resume
    // as fast as they can: every resume must wake it (no lost wake-up), and a final cancel
    // must end it, within a deadline.
    void pauseResumeCancelUnderStress() {
        for (int round = 0; round < 20; ++round) {
            TrainControl control;
            std::atomic<long> steps{0};
            auto consumer = std::async(std::launch::async, [&] {
                while (control.waitWhilePaused() && !control.isCancelled())
                    ++steps;
                return true;
            });
            std::vector<std::thread> togglers;
            for (int t = 0; t < 3; ++t)
                togglers.emplace_back([&] {
                    for (int i = 0; i < 2000; ++i) {
                        control.pause();
                        control.resume();
                    }
                });
            for (std::thread& t : togglers)
                t.join();
            // Ends resumed: the consumer must be running again.
            const long before = steps.load();
            QTRY_VERIFY_WITH_TIMEOUT(steps.load() > before, 5000);
            control.pause();
            control.cancel();
            QVERIFY2(consumer.wait_for(5s) == std::future_status::ready,
                     "a cancelled, paused consumer did not wake up");
        }
    }

    void resumeWakesAWaiter() {
        TrainControl control;
        control.pause();
        auto waiter = std::async(std::launch::async, [&] { return control.waitWhilePaused(); });
        QVERIFY(waiter.wait_for(50ms) == std::future_status::timeout); // really waits
        control.resume();
        QVERIFY(waiter.wait_for(5s) == std::future_status::ready);
        QVERIFY(waiter.get());
    }

    void threadCountReachesTheWorkerThread_data() {
        QTest::addColumn<int>("threads");
        QTest::newRow("1") << 1;
        QTest::newRow("2") << 2;
        QTest::newRow("3") << 3;
    }

    void threadCountReachesTheWorkerThread() {
        QFETCH(int, threads);
        auto data = loadDataset("synthetic:digits?count=128", {1, 28, 28});
        QVERIFY(data.isOk());
        Model model = compileExample("mlp");
        initializeParameters(model.params(), 1);
        setThreadCount(7); // the caller's own setting must not leak into the run
        TrainConfig config = quickConfig(1);
        config.threads = threads;
        int seen = 0;
        std::thread worker([&] {
            CpuBackend cpu;
            Trainer trainer(model, cpu, config);
            trainer.onStep = [&](const StepReport&) { seen = threadCount(); };
            require(trainer.fit(data.value(), nullptr));
        });
        worker.join();
        QCOMPARE(seen, threads);
        QCOMPARE(threadCount(), 7); // and the run's setting does not leak out
        setThreadCount(2);
    }

    void snapshotsArePublishedAndReadWhileTraining() {
        auto data = loadDataset("synthetic:digits?count=640", {1, 28, 28});
        QVERIFY(data.isOk());
        Model model = compileExample("mnist_cnn");
        initializeParameters(model.params(), 1);
        TrainConfig config = quickConfig(2);
        config.snapshotEvery = 3;
        CpuBackend cpu;
        Trainer trainer(model, cpu, config);
        QVERIFY(trainer.latestSnapshot() == nullptr);
        std::atomic<bool> done{false};
        std::atomic<int> reads{0}, problems{0};
        std::thread reader([&] {
            std::uint64_t lastStep = 0;
            while (!done) {
                if (SnapshotPtr s = trainer.latestSnapshot()) {
                    const Tensor* w = s->find("conv1.weight");
                    if (!w || w->dims() != Dims({32, 1, 5, 5}) || s->step < lastStep)
                        ++problems;
                    lastStep = s->step;
                    ++reads;
                }
                trainer.requestSnapshot();
                std::this_thread::sleep_for(1ms);
            }
        });
        int published = 0;
        trainer.onSnapshot = [&](const SnapshotPtr&) { ++published; };
        const Status fitted = trainer.fit(data.value(), nullptr);
        done = true;
        reader.join();
        QVERIFY2(fitted.isOk(), fitted.message().c_str());
        QCOMPARE(problems.load(), 0);
        QVERIFY(reads.load() > 0);
        QVERIFY(published >= 20 / 3 + 2); // every 3rd of 2 x 10 steps, and each epoch's end
        SnapshotPtr last = trainer.latestSnapshot();
        QCOMPARE(last->epoch, 2);
        QCOMPARE(last->step, std::uint64_t(20));
        // The final snapshot is the trained model, bit for bit.
        for (const Parameter& p : model.params().all()) {
            const Tensor* copy = last->find(p.name);
            QVERIFY(copy);
            QVERIFY(std::equal(p.value.data(), p.value.data() + p.value.size(), copy->data()));
        }
    }

    // On a device whose copies to the host take a while, a snapshot is published steps after
    // it was started, yet holds the weights of the step it was started at, bit for bit (the
    // CPU's snapshot of that step). One is under way at a time; the epoch's end waits for its
    // own, so the last one is the trained model.
    void slowSnapshotsHoldTheWeightsOfTheirStep() {
        auto data = loadDataset("synthetic:digits?count=320", {1, 28, 28});
        QVERIFY(data.isOk());
        auto run = [&](Backend& backend) {
            Model model = compileExample("modified_cnn");
            initializeParameters(model.params(), 2);
            TrainConfig config = quickConfig(2);
            config.optimizer.kind = "adam";
            config.snapshotEvery = 1;
            Trainer trainer(model, backend, config);
            std::map<std::uint64_t, std::vector<float>> byStep;
            trainer.onSnapshot = [&](const SnapshotPtr& s) {
                std::vector<float>& flat = byStep[s->step];
                flat.clear();
                for (const auto& [name, t] : s->tensors)
                    flat.insert(flat.end(), t.data(), t.data() + t.size());
            };
            require(trainer.fit(data.value(), nullptr));
            std::vector<float> trained;
            for (const Parameter& p : model.params().all()) {
                Tensor host = toHost(backend, p.value).value();
                trained.insert(trained.end(), host.data(), host.data() + host.size());
            }
            return std::make_pair(byStep, trained);
        };
        CpuBackend cpu;
        const auto [everyStep, trainedOnCpu] = run(cpu);
        QCOMPARE(everyStep.size(), std::size_t(10)); // 2 x 5 steps; the epochs' ends repeat one
        FakeDeviceBackend device;
        device.downloadLatency = 2;
        const auto [slow, trainedOnDevice] = run(device);
        QVERIFY(trainedOnDevice == trainedOnCpu);
        QVERIFY2(slow.size() >= 4 && slow.size() < everyStep.size(),
                 std::to_string(slow.size()).c_str());
        for (const auto& [step, weights] : slow) {
            QVERIFY(everyStep.contains(step));
            QVERIFY2(weights == everyStep.at(step), ("step " + std::to_string(step)).c_str());
        }
        QVERIFY(slow.rbegin()->second == trainedOnDevice);
    }

    // A snapshot still on its way when training pauses is published before the pause, so the
    // window can look at the paused weights.
    void pausingPublishesTheSnapshotOnItsWay() {
        auto data = loadDataset("synthetic:digits?count=640", {1, 28, 28});
        QVERIFY(data.isOk());
        Model model = compileExample("mlp");
        initializeParameters(model.params(), 2);
        TrainConfig config = quickConfig(1);
        config.snapshotEvery = 2;
        config.metricsEvery = 1;
        FakeDeviceBackend device;
        device.downloadLatency = 1000000; // never lands by itself
        Trainer trainer(model, device, config);
        TrainControl control;
        trainer.onStep = [&](const StepReport& r) {
            if (r.globalStep == 3)
                control.pause();
        };
        std::future<Status> fitted = std::async(
            std::launch::async, [&] { return trainer.fit(data.value(), nullptr, &control); });
        SnapshotPtr seen;
        for (int i = 0; i < 5000 && !seen; ++i) {
            seen = trainer.latestSnapshot();
            std::this_thread::sleep_for(1ms);
        }
        QVERIFY(seen);
        QVERIFY(control.isPaused());
        QCOMPARE(seen->step, std::uint64_t(2));
        control.resume();
        control.cancel();
        QCOMPARE(QString::fromStdString(fitted.get().message()), QString("cancelled"));
    }
};

QTEST_APPLESS_MAIN(TrainThreadsTest)
#include "tst_trainthreads.moc"
