#include "enginetesting.h"

#include "../graph_model/graphbuilder.h"

#include "engine/cpu/cpubackend.h"
#include "engine/random.h"

#include "graph_model/graphjson.h"
#include "graph_model/shapeinference.h"

#include <cmath>

namespace nc::test {

using namespace nc::graph;
using namespace nc::engine;

TrainConfig quickConfig(int epochs) {
    TrainConfig c;
    c.epochs = epochs;
    c.batch = 64;
    c.optimizer.kind = "nesterov";
    c.lr = 0.01;
    c.seed = 5;
    return c;
}

std::vector<float> flatParams(const Model& m) {
    std::vector<float> all;
    for (const Parameter& p : m.params().all())
        all.insert(all.end(), p.value.data(), p.value.data() + p.value.size());
    return all;
}

Result<Graph> buildChain(const Shape& inputShape, const QList<LayerDesc>& layers,
                         const QString& loss) {
    Graph g;
    NodeId input = g.addNode("Input", {}, "input").value();
    if (Status s = g.setParam(input, "shape", IntList(inputShape)); !s)
        return s;
    NodeId previous = input;
    PortIndex previousPort = 0;
    int index = 0;
    for (const LayerDesc& layer : layers) {
        auto id = g.addNode(layer.type.toStdString(), {}, "layer" + std::to_string(++index));
        if (!id)
            return Status::error(id.message());
        for (auto it = layer.params.begin(); it != layer.params.end(); ++it)
            if (Status s = g.setParam(id.value(), it.key().toStdString(), toParam(it.value())); !s)
                return s;
        if (Status s = g.connect({previous, previousPort, id.value(), 0}); !s)
            return s;
        previous = id.value();
        previousPort = 0;
    }
    InferenceResult shapes = inferShapes(g);
    std::optional<Shape> out = shapes.node(previous)->outputs[0];
    if (!out)
        return Status::error(
            "the chain has no output shape: " +
            (shapes.diagnostics().empty() ? std::string("?") : shapes.diagnostics()[0].message));
    if (loss != "SoftmaxCrossEntropy")
        if (Status s = g.setParam(input, "target_shape", IntList(*out)); !s)
            return s;
    NodeId lossNode = g.addNode(loss.toStdString(), {}, "loss").value();
    nc::core::require(g.connect({previous, 0, lossNode, 0}));
    nc::core::require(g.connect({input, 1, lossNode, 1}));
    return g;
}

Model compileExample(const char* name) {
    auto graph =
        loadGraphFile(std::string(NC_SOURCE_DIR) + "/resources/examples/" + name + ".json");
    return Model::compile(graph.value()).value();
}

Tensor randomTensor(const Dims& dims, std::uint64_t seed, float lo, float hi) {
    Tensor t(dims);
    for (std::int64_t i = 0; i < t.size(); ++i)
        t[i] = lo + (hi - lo) * uniform01(seed, 99, std::uint64_t(i));
    return t;
}

Result<GradientReport> checkGradients(Model& model, const Tensor& x, const Tensor& y, Mode mode,
                                      float epsilon, int samplesPerTensor) {
    CpuBackend backend;
    Executor run(model, backend);
    run.setInputGradientWanted(true);
    const RunContext context{42, 7, true, true};
    model.params().zeroGrads();
    if (Status s = run.forward(x, y, mode, context); !s)
        return s;
    if (Status s = run.backward(); !s)
        return s;

    // Analytic gradients, copied before the probing runs overwrite nothing but values.
    std::vector<Tensor> analytic;
    for (const Parameter& p : model.params().all())
        analytic.push_back(p.grad);
    Tensor inputGrad = run.inputGradient();

    Tensor probe = x;
    auto lossAt = [&](float* slot, float value) -> Result<float> {
        float saved = *slot;
        *slot = value;
        Status s = run.forward(probe, y, mode, context);
        *slot = saved;
        if (!s)
            return s;
        return run.totalLoss();
    };
    GradientReport report;
    auto compare = [&](float* slot, float grad, const QString& where) -> Status {
        const float original = *slot;
        Result<float> plus = lossAt(slot, original + epsilon);
        Result<float> minus = lossAt(slot, original - epsilon);
        if (!plus || !minus)
            return Status::error(plus ? minus.message() : plus.message());
        const double numeric = (double(plus.value()) - double(minus.value())) / (2.0 * epsilon);
        const double error =
            std::abs(numeric - grad) / std::max(1e-2, std::abs(numeric) + std::abs(grad));
        ++report.checked;
        if (error > report.worstError) {
            report.worstError = error;
            report.worstWhere = where + QString(": analytic %1, numeric %2").arg(grad).arg(numeric);
        }
        return Status::ok();
    };
    SplitMix pick(5);
    auto sampleIndices = [&](std::int64_t size) {
        std::vector<std::int64_t> indices;
        for (int i = 0; i < samplesPerTensor && i < size; ++i)
            indices.push_back(
                size <= samplesPerTensor ? i : std::int64_t(pick.below(std::uint64_t(size))));
        return indices;
    };
    for (std::size_t p = 0; p < model.params().size(); ++p) {
        Parameter& param = model.params().at(int(p));
        if (!param.trainable)
            continue;
        for (std::int64_t i : sampleIndices(param.value.size()))
            if (Status s =
                    compare(param.value.data() + i, analytic[p][i],
                            QString::fromStdString(param.name) + "[" + QString::number(i) + "]");
                !s)
                return s;
    }
    for (std::int64_t i : sampleIndices(probe.size()))
        if (Status s = compare(probe.data() + i, inputGrad[i], "input[" + QString::number(i) + "]");
            !s)
            return s;
    return report;
}

} // namespace nc::test
