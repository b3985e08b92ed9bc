#include "recurrenttrace.h"

#include "edgeprobe.h"

#include "../cpu/kernels.h"
#include "../executor.h"

namespace nc::engine {

namespace {

// Asks for the layer's output, so that a subgraph run reaches it.
class OutputTap : public TensorObserver {
public:
    explicit OutputTap(NodeId node) : m_node(node) {}
    bool wants(NodeId node, PortIndex port) override { return node == m_node && port == 0; }
    void observe(NodeId, PortIndex, const Tensor&) override {}

private:
    NodeId m_node;
};

} // namespace

bool isTraceable(const Model& model, NodeId node) {
    const PlanStep* step = model.stepOf(node);
    return step && isRecurrent(step->kind);
}

Result<RecurrentTrace> traceRecurrent(Model& model, Backend& backend, const Tensor& x,
                                      NodeId node) {
    if (!isTraceable(model, node))
        return Status::error("only SimpleRNN, LSTM and GRU layers keep a history over time");
    if (x.rank() < 1 || x.dim(0) != 1)
        return Status::error("a trace follows one sample");
    if (Status s = moveParametersTo(backend, model.params()); !s)
        return s;
    const PlanStep& step = *model.stepOf(node);
    const std::size_t index = std::size_t(&step - model.steps().data());
    Executor executor(model, backend);
    OutputTap tap(node);
    RunContext context;
    context.checkFinite = false;
    context.subgraph = true;
    if (Status s = executor.forward(x, zeroTargets(model, 1), Mode::Eval, context, &tap); !s)
        return s;
    Result<Tensor> state = toHost(backend, executor.opState(index));
    if (!state)
        return state.status();
    const Dims& in = model.values()[std::size_t(step.inputs[0])].perSample; // [T, F]
    RecurrentTrace trace;
    trace.kind = step.kind;
    trace.bidirectional = step.attrs.bidirectional;
    trace.rows = cpu::recurrentHistory(step.kind, state.value(), 1, in[0], step.attrs.units, 0);
    return trace;
}

std::string describeTraceRow(const std::string& row) {
    static const std::pair<const char*, const char*> kNames[] = {
        {"h", "hidden state h"}, {"c", "cell state c"},     {"i", "input gate i"},
        {"f", "forget gate f"},  {"g", "cell candidate g"}, {"o", "output gate o"},
        {"r", "reset gate r"},   {"z", "update gate z"},    {"n", "candidate n"},
    };
    for (const auto& [key, name] : kNames)
        if (row == key)
            return name;
    return row;
}

} // namespace nc::engine
