#include "graphparity.h"

#include "engine/backend.h"
#include "engine/backendlist.h"
#include "engine/model.h"
#include "engine/optimizer.h"
#include "engine/stepmetrics.h"
#include "engine/trainingstep.h"

#include "graph_model/graphjson.h"

#include <string>
#include <vector>

namespace nc::test {

using namespace nc::engine;
using nc::core::require;

namespace {

struct Steps {
    Tensor weights, metrics;
    TrainingStep::Counts counts;
};

// mnist_cnn (dropout on) with Adam at a rate that changes every step, over batches of 64, 64,
// 64, 40, 64, 64: the short batch is a new shape, and the first recording comes back after it.
Steps trainSteps(Backend& backend) {
    auto graph = require(nc::graph::loadGraphFile(std::string(NC_SOURCE_DIR) +
                                                  "/resources/examples/mnist_cnn.json"));
    Model model = require(Model::compile(graph));
    initializeParameters(model.params(), 8);
    require(moveParametersTo(backend, model.params()));
    Executor executor(model, backend);
    OptimizerConfig config;
    config.kind = "adam";
    Optimizer optimizer = require(Optimizer::create(config, model.params()));
    TrainingStep stepper(executor, model.params(), optimizer);
    const std::vector<std::int64_t> sizes{64, 64, 64, 40, 64, 64};
    StepMetricsWindow window(backend, std::int64_t(sizes.size()));
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        Tensor x = randomTensor({sizes[i], 1, 28, 28}, 20 + i, 0.0f, 1.0f), y({sizes[i]});
        for (std::int64_t r = 0; r < sizes[i]; ++r)
            y[r] = float((r * 3 + std::int64_t(i)) % 10);
        window.begin(executor);
        require(executor.bind(x, y));
        require(stepper.run({9, i, true}, 0.001f * float(1 + i % 2), &window.log()));
        window.recorded(sizes[i]);
    }
    Steps out;
    out.metrics = host(backend, window.log());
    require(window.flush(executor).status());
    std::vector<float> weights;
    for (const Parameter& p : model.params().all()) {
        Tensor h = host(backend, p.value);
        weights.insert(weights.end(), h.data(), h.data() + h.size());
    }
    out.weights = Tensor({std::int64_t(weights.size())});
    std::copy(weights.begin(), weights.end(), out.weights.data());
    out.counts = stepper.counts();
    return out;
}

} // namespace

void compareRecordedSteps(Backend& gpu, ParityCheck& check) {
    if (!gpu.canRecord()) {
        check.note("recorded steps (CUDA Graphs): not checked; NETCANVAS_CUDA_GRAPHS is not 1");
        return;
    }
    auto cpu = require(createBackend("cpu"));
    const Steps expected = trainSteps(*cpu);
    const Steps recorded = trainSteps(gpu);
    check.close("recorded steps: weights after 6 steps", expected.weights, recorded.weights,
                kTrainTolerance);
    check.close("recorded steps: loss and accuracy of each step", expected.metrics,
                recorded.metrics, kTrainTolerance);
    const TrainingStep::Counts& c = recorded.counts;
    check.note("recorded steps: " + std::to_string(c.queued) + " queued, " +
               std::to_string(c.recorded) + " recorded, " + std::to_string(c.refused) +
               " refused, " + std::to_string(c.replayed) + " replayed");
    check.expect(c.recorded == 1 && c.replayed == 3 && c.refused == 0,
                 "recorded steps: one recording, replayed for the three other steps of its shape");
}

} // namespace nc::test
