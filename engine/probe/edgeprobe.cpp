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
    if (Status s = executor.forward(x, zeroTargets(model, x.rank() > 0 ? x.dim(0) : 0),
                                    options.mode, context, &taps);
        !s)
        return s;
    return taps.take();
}

} // namespace nc::engine
