#include "model.h"

#include "ops/opregistry.h"

#include "graph_model/layerregistry.h"
#include "graph_model/shapeinference.h"
#include "graph_model/topology.h"

#include <algorithm>

namespace nc::engine {

using namespace nc::graph;

namespace {

std::string errorsOf(const InferenceResult& inference) {
    std::string text;
    int shown = 0;
    for (const Diagnostic& d : inference.diagnostics()) {
        if (d.severity != Severity::Error)
            continue;
        if (shown++ < 5)
            text += "\n  " + d.message;
    }
    return "the graph has " + std::to_string(shown) + (shown == 1 ? " error" : " errors") + ":" +
           text;
}

} // namespace

int Model::valueOf(NodeId node, PortIndex port) const {
    const PlanStep* step = stepOf(node);
    return step && port >= 0 && std::size_t(port) < step->outputs.size()
               ? step->outputs[std::size_t(port)]
               : -1;
}

const PlanStep* Model::stepOf(NodeId node) const {
    auto it = m_stepOfNode.find(node);
    return it == m_stepOfNode.end() ? nullptr : &m_steps[it->second];
}

std::int64_t Model::classes() const {
    return m_classifierLogits < 0 ? 0 : m_values[std::size_t(m_classifierLogits)].perSample.back();
}

bool Model::classifiesSteps() const {
    return m_classifierLogits >= 0 &&
           m_values[std::size_t(m_classifierLogits)].perSample.size() == 2;
}

Result<Model> Model::compile(const Graph& graph) {
    InferenceResult inference = inferShapes(graph);
    if (!inference.valid())
        return Status::error(errorsOf(inference));
    Model model;
    model.m_graph = graph;
    std::vector<NodeId> inputs;
    for (NodeId id : graph.nodeIds())
        if (graph.node(id)->type == "Input")
            inputs.push_back(id);
    if (inputs.size() != 1)
        return Status::error("the graph needs exactly one Input node, it has " +
                             std::to_string(inputs.size()));

    if (std::vector<std::string> unrunnable = unrunnableNodes(graph); !unrunnable.empty()) {
        std::string text = unrunnable.front();
        for (std::size_t k = 1; k < unrunnable.size(); ++k)
            text += "; " + unrunnable[k];
        return Status::error(text);
    }

    for (NodeId id : dependencyOrder(graph).order) {
        const Node& node = *graph.node(id);
        const NodeInference& inf = *inference.node(id);
        const OpEntry& entry = *findOpEntry(node.type); // every node is runnable (above)
        PlanStep step;
        step.node = id;
        step.name = node.name;
        step.kind = entry.kind;
        for (PortIndex port = 0; port < int(inf.outputs.size()); ++port) {
            step.outputs.push_back(int(model.m_values.size()));
            model.m_values.push_back({id, port, *inf.outputs[std::size_t(port)]});
        }
        for (PortIndex port = 0; port < int(inf.inputs.size()); ++port) {
            std::optional<Edge> e = graph.edgeInto(id, port); // absent: an optional port
            step.inputs.push_back(e ? model.valueOf(e->outNode, e->outPort) : kNoValue);
        }
        LoweringContext context(graph, node, inf, model.m_params, step);
        if (Status s = entry.lower(context); !s)
            return Status::error(node.type + " \"" + node.name + "\": " + s.message());
        if (step.kind == OpKind::SoftmaxCrossEntropy && model.m_classifierLogits < 0)
            model.m_classifierLogits = step.inputs[0];
        if (step.kind == OpKind::Input)
            model.m_inputStep = int(model.m_steps.size());
        model.m_stepOfNode.emplace(id, model.m_steps.size());
        model.m_steps.push_back(std::move(step));
    }
    return model;
}

} // namespace nc::engine
