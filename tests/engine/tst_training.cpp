// Training: reaching accuracy, determinism, exact resume from a checkpoint, dropout modes,
// the NaN watchdog and cancellation.

#include "enginetesting.h"
#include "fakedevicebackend.h"

#include "core/numberparse.h"
#include "engine/checkpoint.h"
#include "engine/cpu/cpubackend.h"
#include "engine/data/dataspec.h"
#include "engine/optimizer.h"
#include "engine/probe/textsampler.h"
#include "engine/threading.h"
#include "engine/trainer.h"

#include "graph_model/graphjson.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nc::graph;
using namespace nc::engine;
using namespace nc::test;

class TrainingTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { setThreadCount(2); }

    void standardCnnLearnsSyntheticDigits() {
        auto data = loadDataset("synthetic:digits?count=6000", {1, 28, 28});
        QVERIFY2(data.isOk(), data.message().c_str());
        auto [train, val] = splitTail(data.value(), 0.2);
        Model model = compileExample("mnist_cnn");
        initializeParameters(model.params(), 1);
        TrainConfig config = quickConfig(6);
        config.optimizer.kind = "adam";
        config.lr = 0.001;
        config.batch = 128;
        CpuBackend cpu;
        Trainer trainer(model, cpu, config);
        std::vector<EpochReport> epochs;
        trainer.onEpoch = [&](const EpochReport& r) {
            epochs.push_back(r);
            return Status::ok();
        };
        QVERIFY(trainer.fit(train, &val));
        QCOMPARE(epochs.size(), std::size_t(6));
        QVERIFY(epochs.back().valLoss < epochs.front().valLoss);
        QVERIFY2(epochs.back().valAccuracy > 0.90,
                 qPrintable(QString::number(epochs.back().valAccuracy)));
    }

    void gruSolvesTheAddingProblem() {
        // Guessing 1 always gives an MSE of 0.167; solved is below 0.01.
        auto data = loadDataset("synthetic:sequences?task=adding&count=8000", {50, 2});
        QVERIFY2(data.isOk(), data.message().c_str());
        auto [train, val] = splitTail(data.value(), 0.2);
        Model model = compileExample("gru_adding");
        initializeParameters(model.params(), 1);
        TrainConfig config = quickConfig(6);
        config.optimizer.kind = "adam";
        config.optimizer.clipGradNorm = 1.0;
        config.lr = 0.003;
        CpuBackend cpu;
        Trainer trainer(model, cpu, config);
        double valLoss = 1.0;
        trainer.onEpoch = [&](const EpochReport& r) {
            valLoss = r.valLoss;
            return Status::ok();
        };
        QVERIFY(trainer.fit(train, &val));
        QVERIFY2(valLoss < 0.01, qPrintable(QString::number(valLoss)));
    }

    // The char_lstm example predicts the next character of the built-in stories at every step
    // (the most common character, space, is about 18 %), and then writes text from them.
    void charLstmLearnsAndWrites() {
        auto data = loadDataset("synthetic:text", {64});
        QVERIFY2(data.isOk(), data.message().c_str());
        auto [train, val] = splitTail(data.value(), 0.1);
        Model model = compileExample("char_lstm");
        QVERIFY(model.classifiesSteps());
        initializeParameters(model.params(), 1);
        TrainConfig config = quickConfig(2);
        config.optimizer.kind = "adam";
        config.optimizer.clipGradNorm = 1.0;
        config.lr = 0.003;
        config.batch = 32;
        CpuBackend cpu;
        Trainer trainer(model, cpu, config);
        EpochReport last;
        trainer.onEpoch = [&](const EpochReport& r) {
            last = r;
            return Status::ok();
        };
        QVERIFY(trainer.fit(train, &val));
        QVERIFY2(last.valAccuracy > 0.6, qPrintable(QString::number(last.valAccuracy)));
        QVERIFY2(last.trainAccuracy > 0.4, qPrintable(QString::number(last.trainAccuracy)));

        SampleRequest request{"The old ", 80, 0.0, 1};
        auto greedy = sampleText(model, cpu, data.value().vocabulary, request);
        QVERIFY2(greedy.isOk(), greedy.message().c_str());
        QCOMPARE(greedy.value().size(), std::size_t(8 + 80));
        QVERIFY2(greedy.value().find(" the ") != std::string::npos, greedy.value().c_str());
        request.temperature = 0.8;
        auto drawn = sampleText(model, cpu, data.value().vocabulary, request);
        QVERIFY(drawn.isOk());
        QCOMPARE(sampleText(model, cpu, data.value().vocabulary, request).value(), drawn.value());
        request.seed = 2;
        QVERIFY(sampleText(model, cpu, data.value().vocabulary, request).value() != drawn.value());
        request.prime = "Zebra";
        QCOMPARE(sampleText(model, cpu, data.value().vocabulary, request).message(),
                 std::string("the prime text: character 0, 'Z', is not in the vocabulary of 38 "
                             "characters"));
    }

    // Models that cannot write text say why.
    void samplingNeedsAForwardPerStepClassifier() {
        auto vocabulary = Vocabulary::fromText("abcdefghij", "v").value();
        Model mlp = compileExample("mlp");
        QVERIFY(checkTextModel(mlp, vocabulary)
                    .message()
                    .find("sampling needs a classifier of every time step") != std::string::npos);
        auto graph = loadGraphFile(NC_SOURCE_DIR "/resources/examples/char_lstm.json");
        QVERIFY(graph.isOk());
        const NodeId lstm = 3; // "lstm" in char_lstm.json
        QCOMPARE(graph.value().node(lstm)->name, std::string("lstm"));
        QVERIFY(graph.value().setParam(lstm, "bidirectional", true));
        auto bidirectional = Model::compile(graph.value());
        QVERIFY2(bidirectional.isOk(), bidirectional.message().c_str());
        const Vocabulary stories = loadDataset("synthetic:text?count=1", {64}).value().vocabulary;
        QCOMPARE(checkTextModel(bidirectional.value(), stories).message(),
                 std::string("LSTM \"lstm\" is bidirectional: it reads the future, so it cannot "
                             "generate text one character at a time"));
        QCOMPARE(checkTextModel(compileExample("char_lstm"), vocabulary).message(),
                 std::string("the classifier has 38 classes, but the vocabulary has 10 "
                             "characters"));
    }

    void gradientClippingKeepsTheGlobalNorm() {
        // Gradients (3, 4) and (12): global norm 13. Clipped to 6.5, SGD with lr 1 moves each
        // parameter by half its gradient; a norm under the limit is left alone.
        for (auto [clip, factor] :
             {std::pair{6.5, 0.5}, std::pair{20.0, 1.0}, std::pair{0.0, 1.0}}) {
            ParameterStore store;
            store.add({"a.weight", Tensor({2}), Tensor({2}), true, "zeros"});
            store.add({"b.bias", Tensor({1}), Tensor({1}), true, "zeros"});
            store.at(0).grad[0] = 3.0f;
            store.at(0).grad[1] = 4.0f;
            store.at(1).grad[0] = 12.0f;
            for (Parameter& p : store.all())
                p.value.zero();
            OptimizerConfig config{"sgd", 0.0, 0.0, clip};
            Optimizer optimizer = Optimizer::create(config, store).value();
            CpuBackend cpu;
            QVERIFY(optimizer.step(store, 1.0f, cpu).isOk());
            QCOMPARE(store.at(0).value[0], float(-3.0 * factor));
            QCOMPARE(store.at(0).value[1], float(-4.0 * factor));
            QCOMPARE(store.at(1).value[0], float(-12.0 * factor));
        }
    }

    void sameSeedSameLosses() {
        auto data = loadDataset("synthetic:digits?count=600", {1, 28, 28});
        QVERIFY(data.isOk());
        auto run = [&] {
            Model model = compileExample("mnist_cnn"); // has dropout: masks must repeat too
            initializeParameters(model.params(), 3);
            CpuBackend cpu;
            Trainer trainer(model, cpu, quickConfig(2));
            std::vector<double> losses;
            trainer.onStep = [&](const StepReport& r) { losses.push_back(r.loss); };
            nc::core::require(trainer.fit(data.value(), nullptr));
            return std::make_pair(losses, flatParams(model));
        };
        auto first = run(), second = run();
        QVERIFY(!first.first.empty());
        QVERIFY(first.first == second.first);
        QVERIFY(first.second == second.second);
    }

    void resumingContinuesExactly() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ckpt.safetensors").toStdString();
        auto data = loadDataset("synthetic:digits?count=500", {1, 28, 28});
        QVERIFY(data.isOk());
        auto [train, val] = splitTail(data.value(), 0.2);

        Model straight = compileExample("modified_cnn");
        initializeParameters(straight.params(), 9);
        CpuBackend cpu;
        Trainer all(straight, cpu, quickConfig(3));
        QVERIFY(all.fit(train, &val));

        Model first = compileExample("modified_cnn");
        initializeParameters(first.params(), 9);
        TrainConfig two = quickConfig(3);
        Trainer interrupted(first, cpu, two);
        TrainControl control;
        interrupted.onEpoch = [&](const EpochReport& r) {
            Status s = saveCheckpoint(path, first, &interrupted.optimizer(),
                                      {{"epoch", std::to_string(r.epoch)}});
            if (r.epoch == 2)
                control.cancel(); // stop as a crash would, right after the checkpoint
            return s;
        };
        QVERIFY(!interrupted.fit(train, &val, &control));
        QCOMPARE(interrupted.completedEpochs(), 2);

        Model resumed = compileExample("modified_cnn");
        initializeParameters(resumed.params(), 1234); // overwritten by the checkpoint
        Trainer later(resumed, cpu, quickConfig(3));
        auto checkpoint = readCheckpoint(path);
        QVERIFY2(checkpoint.isOk(), checkpoint.message().c_str());
        QVERIFY(applyWeights(checkpoint.value(), resumed));
        QVERIFY(applyOptimizerState(checkpoint.value(), later.optimizer()));
        auto epoch =
            nc::core::parseInt64(checkpoint.value().metadata.at("epoch"), "epoch", 0, 1000);
        QVERIFY2(epoch.isOk(), epoch.message().c_str());
        later.setCompletedEpochs(int(epoch.value()));
        QVERIFY(later.fit(train, &val));
        QVERIFY(flatParams(resumed) == flatParams(straight)); // bit for bit
    }

    void dropoutModesShareWeights() {
        Model model = compileExample("mlp");
        initializeParameters(model.params(), 2);
        CpuBackend cpu;
        Executor run(model, cpu);
        Tensor x = randomTensor({4, 1, 28, 28}, 1, 0, 1), y({4, 1});
        const NodeId logits = model.graph().findByName("logits")->id;
        auto output = [&](Mode mode, std::uint64_t step) {
            Status s = run.forward(x, y, mode, {7, step, true});
            return s ? std::vector<float>(run.value(logits, 0).data(),
                                          run.value(logits, 0).data() + 40)
                     : std::vector<float>();
        };
        const auto eval1 = output(Mode::Eval, 0), eval2 = output(Mode::Eval, 1);
        const auto train1 = output(Mode::Train, 0), train2 = output(Mode::Train, 1),
                   train1Again = output(Mode::Train, 0);
        QVERIFY(!eval1.empty());
        QVERIFY(eval1 == eval2);        // evaluation ignores the step: no dropout
        QVERIFY(train1 != eval1);       // training drops units
        QVERIFY(train1 != train2);      // a new mask every step
        QVERIFY(train1 == train1Again); // ... that depends only on (seed, step, node)
    }

    void nonFiniteValuesNameTheNodeAndStep() {
        auto graph = buildChain(
            {4}, {{"Dense", {{"units", 3}}}, {"Activation", {{"function", "relu"}}}}, "MSE");
        QVERIFY(graph.isOk());
        auto model = Model::compile(graph.value());
        QVERIFY(model.isOk());
        initializeParameters(model.value().params(), 1);
        model.value().params().at(0).value[1] = std::nanf("");
        CpuBackend cpu;
        Executor run(model.value(), cpu);
        Tensor x = randomTensor({2, 4}, 1), y = randomTensor({2, 3}, 2);
        Status s = run.forward(x, y, Mode::Train, {1, 17, true});
        QVERIFY(!s);
        QCOMPARE(
            QString::fromStdString(s.message()),
            QString("non-finite values (NaN or Inf) in the output of Dense \"layer1\" at step 17"));
    }

    // Loss and accuracy read back every N steps (a GPU's default) give exactly what reading
    // every step gives, on the CPU and on a device backend.
    void metricsWindowChangesNothing() {
        auto data = loadDataset("synthetic:digits?count=600", {1, 28, 28});
        QVERIFY(data.isOk());
        auto [train, val] = splitTail(data.value(), 0.2);
        auto run = [&](Backend& backend, std::int64_t every) {
            Model model = compileExample("mnist_cnn");
            initializeParameters(model.params(), 3);
            TrainConfig config = quickConfig(2);
            config.metricsEvery = every;
            Trainer trainer(model, backend, config);
            std::vector<double> epochs;
            int stepReports = 0;
            trainer.onStep = [&](const StepReport&) { ++stepReports; };
            trainer.onEpoch = [&](const EpochReport& r) {
                epochs.insert(epochs.end(),
                              {r.trainLoss, r.trainAccuracy, r.valLoss, r.valAccuracy});
                return Status::ok();
            };
            nc::core::require(trainer.fit(train, &val));
            return std::make_tuple(epochs, flatParams(model), stepReports);
        };
        CpuBackend cpu;
        FakeDeviceBackend device;
        auto [everyStep, weights, reports] = run(cpu, 1);
        auto [window, windowWeights, windowReports] = run(cpu, 7);
        auto [onDevice, deviceWeights, deviceReports] = run(device, 0); // default window: 20
        QCOMPARE(reports, 2 * 8);       // 480 samples / 64 = 8 steps per epoch
        QCOMPARE(windowReports, 2 * 2); // steps 7 and 8 of each epoch
        QCOMPARE(deviceReports, 2);     // once per epoch
        QVERIFY(window == everyStep);
        QVERIFY(onDevice == everyStep);
        QVERIFY(windowWeights == weights);
        QVERIFY(deviceWeights == weights);
    }

    // Batches gathered from a training set kept on the device (a GPU's default for data up
    // to 1 GB) train exactly as batches assembled on the host and uploaded.
    void residentDataChangesNothing() {
        auto data = loadDataset("synthetic:digits?count=500", {1, 28, 28});
        QVERIFY(data.isOk());
        auto [train, val] = splitTail(data.value(), 0.2);
        auto run = [&](Backend& backend, DataPlacement placement) {
            Model model = compileExample("mnist_cnn");
            initializeParameters(model.params(), 5);
            TrainConfig config = quickConfig(2);
            config.batch = 48; // 400 samples: the last batch of each epoch is short
            config.placement = placement;
            Trainer trainer(model, backend, config);
            std::vector<double> epochs;
            trainer.onEpoch = [&](const EpochReport& r) {
                epochs.insert(epochs.end(),
                              {r.trainLoss, r.trainAccuracy, r.valLoss, r.valAccuracy});
                return Status::ok();
            };
            nc::core::require(trainer.fit(train, &val));
            return std::make_pair(epochs, flatParams(model));
        };
        CpuBackend cpu;
        const auto uploaded = run(cpu, DataPlacement::Auto); // the CPU's default: the host
        const auto gathered = run(cpu, DataPlacement::Device);
        QVERIFY(gathered == uploaded);
        FakeDeviceBackend device;
        const auto onDevice = run(device, DataPlacement::Auto);
        QCOMPARE(device.gatherCalls, 2 * 2 * 9); // samples and targets, 9 steps, 2 epochs
        QVERIFY(onDevice == uploaded);
        FakeDeviceBackend hostFed;
        QVERIFY(run(hostFed, DataPlacement::Host) == uploaded);
        QCOMPARE(hostFed.gatherCalls, 0);
    }

    // On a device, the parameters, their gradients and Adam's state live in one block, and the
    // run gives the CPU's weights to the last bit. When the device has no room for the block,
    // each tensor gets memory of its own and the run is the same.
    void trainingStateLivesInOneBlock() {
        auto data = loadDataset("synthetic:digits?count=200", {1, 28, 28});
        QVERIFY(data.isOk());
        auto run = [&](Backend& backend, auto inspect) {
            Model model = compileExample("conv_autoencoder"); // tied weights: one shared entry
            initializeParameters(model.params(), 4);
            TrainConfig config = quickConfig(1);
            config.optimizer.kind = "adam";
            config.batch = 50;
            config.placement = DataPlacement::Host;
            Trainer trainer(model, backend, config);
            nc::core::require(trainer.fit(data.value(), nullptr));
            inspect(model, trainer);
            return flatParams(model);
        };
        auto stateOf = [](Model& model, Trainer& trainer) {
            std::vector<const Tensor*> state;
            for (const Parameter& p : model.params().all())
                for (const Tensor* t : {&p.value, &p.grad})
                    if (!t->empty())
                        state.push_back(t);
            for (auto& [name, t] : trainer.optimizer().stateTensors())
                state.push_back(t);
            return state;
        };
        auto span = [](const std::vector<const Tensor*>& state) {
            std::int64_t padded = 0;
            const float *low = state.front()->data(), *high = low;
            for (const Tensor* t : state) {
                padded += (t->size() + 63) / 64 * 64;
                low = std::min(low, t->data());
                high = std::max(high, t->data() + t->size());
            }
            return std::make_pair(std::int64_t(high - low), padded);
        };
        CpuBackend cpu;
        const std::vector<float> expected = run(cpu, [](Model&, Trainer&) {});
        FakeDeviceBackend device;
        std::int64_t blockSize = 0;
        const std::vector<float> packed = run(device, [&](Model& model, Trainer& trainer) {
            const std::vector<const Tensor*> state = stateOf(model, trainer);
            QVERIFY(state.size() >= 4); // values, gradients, m and v
            for (const Tensor* t : state)
                QCOMPARE(t->device(), device.device());
            auto [used, padded] = span(state);
            QVERIFY2(used <= padded, "the state spans more than one block");
            blockSize = padded;
            const SnapshotPtr snapshot = trainer.latestSnapshot();
            QVERIFY(snapshot);
            std::vector<float> snapped;
            for (const auto& [name, t] : snapshot->tensors)
                snapped.insert(snapped.end(), t.data(), t.data() + t.size());
            QVERIFY(snapped == flatParams(model));
        });
        QVERIFY(packed == expected);
        FakeDeviceBackend cramped;
        cramped.outOfMemoryFromUpload = blockSize / 2; // below the block, above any one tensor
        QVERIFY(cramped.outOfMemoryFromUpload > 50 * 28 * 28); // and above a batch
        QVERIFY(run(cramped, [](Model&, Trainer&) {}) == expected);
        QCOMPARE(cramped.refusedUploads, 1); // the block; then a tensor at a time
    }

    // A device that runs out of memory mid-epoch hands the run to the CPU at the step that
    // failed: the run finishes with the weights and metrics of a run on the CPU alone, and
    // says where it moved. Without the fallback the run fails with the device's message.
    void outOfMemoryFallsBackToTheCpu() {
        auto data = loadDataset("synthetic:digits?count=600", {1, 28, 28});
        QVERIFY(data.isOk());
        auto [train, val] = splitTail(data.value(), 0.2);
        struct Outcome {
            Status status = Status::ok();
            std::vector<double> epochs;
            std::vector<float> weights;
            std::vector<std::string> notices;
            bool endedOnCpu = false;
        };
        auto run = [&](Backend& backend, bool fallBack) {
            Model model = compileExample("modified_cnn");
            initializeParameters(model.params(), 3);
            TrainConfig config = quickConfig(2);
            config.optimizer.kind = "adam";
            config.fallBackToCpu = fallBack;
            Trainer trainer(model, backend, config);
            Outcome out;
            trainer.onEpoch = [&](const EpochReport& r) {
                out.epochs.insert(out.epochs.end(),
                                  {r.trainLoss, r.trainAccuracy, r.valLoss, r.valAccuracy});
                return Status::ok();
            };
            trainer.onFallback = [&](const std::string& m) { out.notices.push_back(m); };
            out.status = trainer.fit(train, &val);
            out.weights = flatParams(model);
            out.endedOnCpu = trainer.backend().device().isCpu();
            return out;
        };
        CpuBackend cpu;
        const Outcome onCpu = run(cpu, true);
        QVERIFY(onCpu.status);
        QVERIFY(onCpu.notices.empty());

        FakeDeviceBackend device;
        device.outOfMemoryAtForward = 60; // some way into the first epoch, mid-step
        const Outcome moved = run(device, true);
        QVERIFY2(moved.status, moved.status.message().c_str());
        QVERIFY(moved.endedOnCpu);
        QCOMPARE(moved.notices.size(), std::size_t(1));
        const QString notice = QString::fromStdString(moved.notices[0]);
        QVERIFY2(notice.startsWith("fake device ran out of memory at step ") &&
                     notice.contains("\": out of GPU memory: 1.5 GB requested") &&
                     notice.endsWith("training goes on on the CPU from the same weights"),
                 qPrintable(notice));
        QVERIFY(moved.epochs == onCpu.epochs);
        QVERIFY(moved.weights == onCpu.weights);

        FakeDeviceBackend strict;
        strict.outOfMemoryAtForward = 60;
        const Outcome failed = run(strict, false);
        QVERIFY(failed.status.isOutOfMemory());
        QVERIFY(failed.notices.empty());
        QVERIFY(!failed.endedOnCpu);
        QVERIFY2(QString::fromStdString(failed.status.message()).contains("\": out of GPU memory"),
                 failed.status.message().c_str());
    }

    // A NaN found by a deferred check names the same node and step as an immediate check.
    void deferredNonFiniteNamesTheFirstNodeAndStep() {
        auto data = loadDataset("synthetic:digits?count=300", {1, 28, 28});
        QVERIFY(data.isOk());
        auto failure = [&](std::int64_t every) {
            Model model = compileExample("mlp");
            initializeParameters(model.params(), 1);
            TrainConfig config = quickConfig(1);
            config.optimizer.kind = "sgd";
            config.lr = 1e30; // the first update overflows the weights
            config.metricsEvery = every;
            CpuBackend cpu;
            Trainer trainer(model, cpu, config);
            return QString::fromStdString(trainer.fit(data.value(), nullptr).message());
        };
        const QString immediate = failure(1);
        QVERIFY2(immediate.startsWith("non-finite values (NaN or Inf) in the "),
                 qPrintable(immediate));
        QVERIFY2(immediate.endsWith(" at step 1"), qPrintable(immediate));
        QCOMPARE(failure(7), immediate);
    }

    void cancelAndPause() {
        auto data = loadDataset("synthetic:digits?count=300", {1, 28, 28});
        Model model = compileExample("mnist_cnn");
        initializeParameters(model.params(), 1);
        CpuBackend cpu;
        Trainer trainer(model, cpu, quickConfig(5));
        TrainControl control;
        int steps = 0;
        trainer.onStep = [&](const StepReport&) {
            if (++steps == 3)
                control.cancel();
        };
        Status s = trainer.fit(data.value(), nullptr, &control);
        QCOMPARE(QString::fromStdString(s.message()), QString("cancelled"));
        QCOMPARE(steps, 3);

        TrainControl paused;
        paused.pause();
        std::thread resumer([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            QVERIFY(paused.isPaused());
            paused.resume();
        });
        Trainer again(model, cpu, quickConfig(1));
        QVERIFY(again.fit(data.value(), nullptr, &paused));
        resumer.join();
    }

    void refusesMismatchedData() {
        auto data = loadDataset("synthetic:shapes?count=10", {3, 64, 64});
        QVERIFY(data.isOk());
        Model model = compileExample("mnist_cnn");
        CpuBackend cpu;
        Trainer trainer(model, cpu, quickConfig(1));
        Status s = trainer.fit(data.value(), nullptr);
        QVERIFY(!s);
        QVERIFY2(QString::fromStdString(s.message())
                     .contains("gives 3x64x64 samples, but the Input expects 1x28x28"),
                 s.message().c_str());
    }
};

QTEST_APPLESS_MAIN(TrainingTest)
#include "tst_training.moc"
