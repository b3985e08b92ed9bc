#include "layerhealth.h"

#include "../executor.h"

#include <algorithm>
#include <cmath>

namespace nc::engine {

namespace {

bool endsInRelu(const PlanStep& step) {
    switch (step.kind) {
    case OpKind::Conv2D:
    case OpKind::Deconv2D:
    case OpKind::Dense:
    case OpKind::Activation:
        return step.attrs.activation == ActivationKind::Relu;
    default:
        return false;
    }
}

// Keeps every ReLU output, and the gradient of every value that feeds a recurrent layer.
class ReluTaps : public TensorObserver {
public:
    explicit ReluTaps(const Model& model) {
        for (const PlanStep& step : model.steps()) {
            if (endsInRelu(step))
                nodes.push_back(step.node);
            if (isRecurrent(step.kind))
                sequenceInputs.push_back(model.values()[std::size_t(step.inputs[0])]);
        }
        values.resize(nodes.size());
        sequenceGradients.resize(sequenceInputs.size());
    }
    bool wants(NodeId node, PortIndex port) override { return port == 0 && indexOf(node) >= 0; }
    void observe(NodeId node, PortIndex, const Tensor& value) override {
        values[std::size_t(indexOf(node))] = value;
    }
    bool wantsGradient(NodeId node, PortIndex port) override {
        return sequenceIndex(node, port) >= 0;
    }
    void observeGradient(NodeId node, PortIndex port, const Tensor& gradient) override {
        sequenceGradients[std::size_t(sequenceIndex(node, port))] = gradient;
    }
    int sequenceIndex(NodeId node, PortIndex port) const {
        for (std::size_t i = 0; i < sequenceInputs.size(); ++i)
            if (sequenceInputs[i].node == node && sequenceInputs[i].port == port)
                return int(i);
        return -1;
    }
    int indexOf(NodeId node) const {
        for (std::size_t i = 0; i < nodes.size(); ++i)
            if (nodes[i] == node)
                return int(i);
        return -1;
    }
    std::vector<NodeId> nodes;
    std::vector<Tensor> values;
    std::vector<Value> sequenceInputs; // [N, T, F] into each recurrent layer, in plan order
    std::vector<Tensor> sequenceGradients;
};

// |g_t| over the batch and the features, for each step of a gradient [N, T, F].
std::vector<double> normsPerStep(const Tensor& g) {
    if (g.rank() != 3)
        return {};
    const std::int64_t n = g.dim(0), steps = g.dim(1), features = g.dim(2);
    std::vector<double> norms(static_cast<std::size_t>(steps), 0.0);
    for (std::int64_t s = 0; s < n; ++s)
        for (std::int64_t t = 0; t < steps; ++t) {
            const float* p = g.data() + (s * steps + t) * features;
            for (std::int64_t f = 0; f < features; ++f)
                norms[std::size_t(t)] += double(p[f]) * p[f];
        }
    for (double& v : norms)
        v = std::sqrt(v);
    return norms;
}

// Units are the channels of maps [N, C, H, W], else the elements of [N, ...].
std::pair<std::int64_t, double> deadShare(const Tensor& v) {
    const std::int64_t n = v.dim(0), perSample = v.size() / std::max<std::int64_t>(n, 1);
    const std::int64_t units = v.rank() == 4 ? v.dim(1) : perSample;
    const std::int64_t area = perSample / std::max<std::int64_t>(units, 1);
    std::int64_t dead = 0;
    for (std::int64_t u = 0; u < units; ++u) {
        bool fired = false;
        for (std::int64_t s = 0; s < n && !fired; ++s) {
            const float* p = v.data() + s * perSample + u * area;
            for (std::int64_t i = 0; i < area && !fired; ++i)
                fired = p[i] != 0.0f;
        }
        dead += !fired;
    }
    return {units, units > 0 ? double(dead) / double(units) : 0.0};
}

} // namespace

Result<std::vector<LayerHealth>> layerHealth(Model& model, Backend& backend, const Tensor& x,
                                             const Tensor& y) {
    if (Status s = moveParametersTo(backend, model.params()); !s)
        return s;
    model.params().zeroGrads();
    Executor executor(model, backend);
    ReluTaps taps(model);
    const NodeId input = model.inputStep().node;
    executor.setInputGradientWanted( // a recurrent layer that reads the data itself
        std::any_of(taps.sequenceInputs.begin(), taps.sequenceInputs.end(),
                    [&](const Value& v) { return v.node == input; }));
    RunContext context;
    context.checkFinite = false;
    context.forBackward = true;
    if (Status s = executor.forward(x, y, Mode::Eval, context, &taps); !s)
        return s;
    if (Status s = executor.backward(&taps); !s)
        return s;
    std::vector<LayerHealth> layers;
    for (const PlanStep& step : model.steps()) {
        const int relu = taps.indexOf(step.node);
        if (relu < 0 && step.params.empty())
            continue;
        LayerHealth h;
        h.node = step.node;
        h.name = step.name;
        if (relu >= 0) {
            const auto [units, share] = deadShare(taps.values[std::size_t(relu)]);
            h.units = units;
            h.deadShare = share;
        }
        if (!step.params.empty()) {
            const Parameter& w = model.params().at(step.params[0]);
            if (w.trainable && !w.grad.empty()) {
                auto g = toHost(backend, w.grad);
                if (!g)
                    return g.status();
                double sum = 0;
                for (std::int64_t i = 0; i < g.value().size(); ++i)
                    sum += double(g.value()[i]) * g.value()[i];
                h.gradientNorm = std::sqrt(sum);
            }
        }
        if (isRecurrent(step.kind)) {
            const Value& in = model.values()[std::size_t(step.inputs[0])];
            h.stepGradientNorms = normsPerStep(
                taps.sequenceGradients[std::size_t(taps.sequenceIndex(in.node, in.port))]);
        }
        layers.push_back(std::move(h));
    }
    return layers;
}

} // namespace nc::engine
