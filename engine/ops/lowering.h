#pragma once
// Lowering: turning one graph node into one plan step. Each op has a lowering function next to
// it (ops/<op>.cpp) that reads the node's parameters and inferred shapes, fills the step's
// settings and declares its parameters. The context gives typed access to both.
//
//   Status lowerDropout(LoweringContext& c) {
//       c.step().attrs.rate = float(c.number("rate"));
//       return Status::ok();
//   }

#include "../model.h"

#include "graph_model/shapeinference.h"

namespace nc::engine {

class LoweringContext {
public:
    LoweringContext(const nc::graph::Graph& graph, const nc::graph::Node& node,
                    const nc::graph::NodeInference& inference, ParameterStore& params,
                    PlanStep& step);

    const nc::graph::Graph& graph() const { return m_graph; }
    const nc::graph::Node& node() const { return m_node; }
    const nc::graph::NodeInference& inference() const { return m_inference; }
    PlanStep& step() { return m_step; }

    // The node's parameters, of the types its spec declares (validated by inference).
    const nc::graph::ParamValue& value(const char* name) const;
    std::int64_t integer(const char* name) const;
    double number(const char* name) const;
    bool flag(const char* name) const;
    const std::string& text(const char* name) const;
    const nc::graph::IntList& ints(const char* name) const;
    bool isNone(const char* name) const;

    // Per-sample shapes on the node's ports.
    Dims inputDims(int port = 0) const;
    Dims outputDims(int port = 0) const;

    // Declares the node's parameter tensor `t` (from inference().params) with its init rule.
    // A tensor tied to another node (t.tiedTo) shares that node's parameter instead.
    Status addParameter(const nc::graph::ParamTensor& t, std::string init, std::int64_t fanIn,
                        std::int64_t fanOut);

private:
    const nc::graph::Graph& m_graph;
    const nc::graph::Node& m_node;
    const nc::graph::NodeInference& m_inference;
    ParameterStore& m_params;
    PlanStep& m_step;
};

using LowerFunction = Status (*)(LoweringContext&);

} // namespace nc::engine
