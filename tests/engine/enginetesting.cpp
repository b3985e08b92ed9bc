#include "enginetesting.h"

#include "../graph_model/graphbuilder.h"

#include "engine/cpu/cpubackend.h"
#include "engine/probe/gradientcheck.h"
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
    if (loss != "SoftmaxCrossEntropy" || out->size() == 2) // per-step logits: a class per step
        if (Status s =
                g.setParam(input, "target_shape",
                           loss == "SoftmaxCrossEntropy" ? IntList{(*out)[0]} : IntList(*out));
            !s)
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
    GradientCheckOptions options;
    options.epsilon = epsilon;
    options.samplesPerTensor = samplesPerTensor;
    auto check = nc::engine::checkGradients(model, x, y, mode, {}, options);
    if (!check)
        return check.status();
    GradientReport report;
    for (const TensorCheck& t : check.value().tensors) {
        report.checked += t.checked;
        if (t.checked > 0 && t.worstError >= report.worstError) {
            report.worstError = t.worstError;
            report.worstWhere = QString::fromStdString(t.worstAt);
        }
    }
    return report;
}

} // namespace nc::test
