#include "edgeprobe.h"

#include "../executor.h"

#include <algorithm>

namespace nc::engine {

namespace {

// Keeps a copy of each wanted edge's value.
class EdgeTaps : public TensorObserver {
public:
    explicit EdgeTaps(std::span<const EdgeRef> edges)
        : m_edges(edges.begin(), edges.end()), m_values(edges.size()) {}
    bool wants(NodeId node, PortIndex port) override {
        return std::find(m_edges.begin(), m_edges.end(), EdgeRef{node, port}) != m_edges.end();
    }
    void observe(NodeId node, PortIndex port, const Tensor& value) override {
        for (std::size_t i = 0; i < m_edges.size(); ++i)
            if (m_edges[i] == EdgeRef{node, port})
                m_values[i] = value;
    }
    std::vector<Tensor> take() { return std::move(m_values); }

private:
    std::vector<EdgeRef> m_edges;
    std::vector<Tensor> m_values;
};

} // namespace

Dims inputDims(const Model& model) {
    return model.values()[std::size_t(model.inputStep().outputs[0])].perSample;
}

Tensor zeroTargets(const Model& model, std::int64_t n) {
    const auto& outputs = model.inputStep().outputs;
    Dims dims{n};
    if (outputs.size() > 1) {
        const Dims& perSample = model.values()[std::size_t(outputs[1])].perSample;
        dims.insert(dims.end(), perSample.begin(), perSample.end());
    }
    return Tensor(dims);
}

bool readsTargets(const Model& model, EdgeRef edge) {
    const auto& inputs = model.inputStep().outputs;
    const int wanted = model.valueOf(edge.node, edge.port);
    if (inputs.size() < 2 || wanted < 0)
        return false;
    // Walk back from the edge's value through the steps, in reverse dependency order.
    std::vector<bool> needed(model.values().size(), false);
    needed[std::size_t(wanted)] = true;
    const auto& steps = model.steps();
    for (std::size_t i = steps.size(); i-- > 0;) {
        const bool producesNeeded = std::any_of(steps[i].outputs.begin(), steps[i].outputs.end(),
                                                [&](int out) { return needed[std::size_t(out)]; });
        if (producesNeeded)
            for (int in : steps[i].inputs)
                if (in != kNoValue)
                    needed[std::size_t(in)] = true;
    }
    return needed[std::size_t(inputs[1])];
}

Result<std::vector<Tensor>> probeEdges(Model& model, Backend& backend, const Tensor& x,
                                       std::span<const EdgeRef> edges, ProbeOptions options) {
    for (const EdgeRef& e : edges)
        if (model.valueOf(e.node, e.port) < 0)
            return Status::error("the graph has no output " + describeEdge(model.graph(), e));
    if (Status s = moveParametersTo(backend, model.params()); !s)
        return s;
    Executor executor(model, backend);
    EdgeTaps taps(edges);
    RunContext context;
    context.seed = options.seed;
    context.checkFinite = options.checkFinite;
    context.subgraph = true;
    const std::int64_t n = x.rank() > 0 ? x.dim(0) : 0;
    if (options.targets && (options.targets->rank() == 0 || options.targets->dim(0) != n))
        return Status::error("the probe has " + std::to_string(n) + " samples but targets " +
                             formatDims(options.targets->dims()));
    if (Status s = executor.forward(x, options.targets ? *options.targets : zeroTargets(model, n),
                                    options.mode, context, &taps);
        !s)
        return s;
    return taps.take();
}

} // namespace nc::engine
