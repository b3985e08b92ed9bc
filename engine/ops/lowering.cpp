#include "lowering.h"

namespace nc::engine {

using namespace nc::graph;

LoweringContext::LoweringContext(const Graph& graph, const Node& node,
                                 const NodeInference& inference, ParameterStore& params,
                                 PlanStep& step)
    : m_graph(graph), m_node(node), m_inference(inference), m_params(params), m_step(step) {}

const ParamValue& LoweringContext::value(const char* name) const {
    return *m_node.params.find(name);
}

std::int64_t LoweringContext::integer(const char* name) const {
    return std::get<std::int64_t>(value(name));
}

double LoweringContext::number(const char* name) const {
    const ParamValue& v = value(name);
    return std::holds_alternative<double>(v) ? std::get<double>(v)
                                             : double(std::get<std::int64_t>(v));
}

bool LoweringContext::flag(const char* name) const {
    return std::get<bool>(value(name));
}

const std::string& LoweringContext::text(const char* name) const {
    return std::get<std::string>(value(name));
}

const IntList& LoweringContext::ints(const char* name) const {
    return std::get<IntList>(value(name));
}

bool LoweringContext::isNone(const char* name) const {
    return std::holds_alternative<std::monostate>(value(name));
}

Dims LoweringContext::inputDims(int port) const {
    return Dims(*m_inference.inputs.at(std::size_t(port)));
}

Dims LoweringContext::outputDims(int port) const {
    return Dims(*m_inference.outputs.at(std::size_t(port)));
}

Status LoweringContext::addParameter(const ParamTensor& t, std::string init, std::int64_t fanIn,
                                     std::int64_t fanOut) {
    if (t.tiedTo != kNoNode) {
        const Node* owner = m_graph.node(t.tiedTo);
        std::optional<int> shared =
            owner ? m_params.find(owner->name + "." + t.name) : std::nullopt;
        if (!shared)
            return Status::error("its " + t.name + " is tied to a node that has none");
        m_step.params.push_back(*shared);
        return Status::ok();
    }
    Parameter param;
    param.name = m_node.name + "." + t.name;
    param.value = Tensor(Dims(t.shape));
    param.trainable = t.trainable;
    param.init = std::move(init);
    param.fanIn = fanIn;
    param.fanOut = fanOut;
    m_step.params.push_back(m_params.add(std::move(param)));
    return Status::ok();
}

} // namespace nc::engine
