#pragma once
// A graph compiled for execution: the steps in dependency order, the values they produce
// (one per output port, shaped per sample), and the parameter store.
//
//   Result<Model> model = Model::compile(graph);   // refuses graphs with shape errors
//   initializeParameters(model.value().params(), seed);
//   Executor executor(model.value(), backend);

#include "op.h"
#include "parameterstore.h"
#include "tensor.h"

#include "core/status.h"
#include "graph_model/graph.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace nc::engine {

using nc::core::Result;
using nc::core::Status;
using nc::graph::NodeId;
using nc::graph::PortIndex;

struct Value {
    NodeId node = nc::graph::kNoNode;
    PortIndex port = 0;
    Dims perSample;
};

inline constexpr int kNoValue = -1;

struct PlanStep {
    NodeId node = nc::graph::kNoNode;
    std::string name; // the node's name, for messages
    OpKind kind = OpKind::Input;
    OpAttrs attrs;
    std::vector<int> inputs;  // value indices; kNoValue for an unconnected optional port
    std::vector<int> outputs; // value indices
    std::vector<int> params;  // parameter indices (weight, bias / gamma, beta, mean, var)
    float lossWeight = 0.0f;  // losses only: its weight in the graph's total loss
};

class Model {
public:
    static nc::core::Result<Model> compile(const nc::graph::Graph& graph);

    const nc::graph::Graph& graph() const { return m_graph; }
    const std::vector<PlanStep>& steps() const { return m_steps; }
    const std::vector<Value>& values() const { return m_values; }
    ParameterStore& params() { return m_params; }
    const ParameterStore& params() const { return m_params; }

    // The value on an output port, or -1.
    int valueOf(NodeId node, PortIndex port) const;
    const PlanStep* stepOf(NodeId node) const;
    const PlanStep& inputStep() const { return m_steps[std::size_t(m_inputStep)]; }
    // The logits feeding the classification loss, or -1 for models that do not classify.
    int classifierLogits() const { return m_classifierLogits; }
    // The classes (the logits' last axis), 0 without a classifier.
    std::int64_t classes() const;
    // True when the classifier scores every time step (logits T x C, labels T, -1 = padding).
    bool classifiesSteps() const;

private:
    nc::graph::Graph m_graph;
    std::vector<PlanStep> m_steps;
    std::vector<Value> m_values;
    ParameterStore m_params;
    std::unordered_map<NodeId, std::size_t> m_stepOfNode;
    int m_inputStep = -1;
    int m_classifierLogits = -1;
};

} // namespace nc::engine
