#pragma once
// One layer type as a small spec: type string (permanent), palette category, parameter schema,
// ports and shape rule. Every spec lives in graph_model/layers/ and is listed once in
// layerregistry.cpp.

#include "ids.h"
#include "node.h"
#include "paramspec.h"
#include "shape.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace nc::graph {

// Tensor ports carry activations; Loss ports end the graph and feed nothing.
enum class PortType { Tensor, Loss };

struct PortSpec {
    std::string name;
    PortType type = PortType::Tensor;
    std::string help;
    bool optional = false; // may stay unconnected; the shape rule sees ShapeContext::connected()
};

// One parameter tensor of a node, in PyTorch's layout. A tied tensor belongs to another node
// (tiedTo) and is counted there; buffers such as running means are not trainable.
struct ParamTensor {
    std::string name; // "weight", "bias", "running_mean", ...
    Shape shape;
    bool trainable = true;
    NodeId tiedTo = kNoNode;

    friend bool operator==(const ParamTensor&, const ParamTensor&) = default;
};

// What a shape rule reports about one node; messages carry no node prefix.
struct ShapeIssue {
    bool isError = true;
    std::optional<PortIndex> inPort;
    std::string message;
};

struct ShapeOutcome {
    std::vector<std::optional<Shape>> outputs; // one per output port, sized before the rule runs
    std::vector<ParamTensor> params;
    std::vector<ShapeIssue> issues;

    void error(std::string message, std::optional<PortIndex> port = std::nullopt) {
        issues.push_back({true, port, std::move(message)});
    }
    void warning(std::string message, std::optional<PortIndex> port = std::nullopt) {
        issues.push_back({false, port, std::move(message)});
    }
};

struct LayerSpec;

// What a shape rule may read: the node's parameters (defaults filled in), the shapes on its
// inputs (all known and connected when the rule runs), and, for tied weights, other nodes.
class ShapeContext {
public:
    using NodeLookup = std::function<const Node*(NodeId)>;
    using InputShapeLookup = std::function<std::optional<Shape>(NodeId, PortIndex)>;

    // An unconnected optional port has no shape: `inputs` holds nullopt there.
    ShapeContext(const Node& node, const LayerSpec& spec, std::vector<std::optional<Shape>> inputs,
                 NodeLookup findNode, InputShapeLookup inputShapeOf);

    const Node& node() const { return m_node; }
    const std::vector<Shape>& inputs() const { return m_inputs; }
    const Shape& input(int index) const { return m_inputs.at(std::size_t(index)); }
    // False only for an optional port left unconnected (its input() is empty).
    bool connected(int index) const { return m_connected.at(std::size_t(index)); }

    const ParamValue& value(const std::string& name) const;
    bool isNone(const std::string& name) const;
    bool flag(const std::string& name) const;
    std::int64_t integer(const std::string& name) const;
    double number(const std::string& name) const;
    const std::string& text(const std::string& name) const;
    const IntList& ints(const std::string& name) const;

    const Node* findNode(NodeId id) const { return m_findNode(id); }
    // The shape arriving at another node's input port, if known.
    std::optional<Shape> inputShapeOf(NodeId id, PortIndex port) const {
        return m_inputShapeOf(id, port);
    }

private:
    const Node& m_node;
    const LayerSpec& m_spec;
    std::vector<Shape> m_inputs;
    std::vector<bool> m_connected;
    NodeLookup m_findNode;
    InputShapeLookup m_inputShapeOf;
};

using ShapeRule = void (*)(const ShapeContext& context, ShapeOutcome& outcome);

struct LayerSpec {
    std::string type;
    std::string category;
    std::string help;
    std::vector<ParamSpec> params;
    std::vector<PortSpec> inputs; // for variadic specs: the first port; see inputCount()
    std::vector<PortSpec> outputs;
    bool variadicInputs = false; // ports in0..in{n-1}, n = the "inputs" parameter
    bool modeDependent = false;  // behaves differently in training and evaluation
    bool isLoss = false;
    std::vector<std::string> summaryParams; // shown on the node card: "32 · 5x5 · relu"
    ShapeRule shapeRule = nullptr;

    const ParamSpec* findParam(const std::string& name) const;
    int inputCount(const ParamMap& params) const;
    std::string inputName(PortIndex port) const;
    PortType inputType(PortIndex port) const;
    bool inputOptional(PortIndex port) const;
    ParamMap defaultParams() const;
};

// The one-line summary for node cards, e.g. "32 · 5x5 · relu".
std::string summarizeParams(const LayerSpec& spec, const ParamMap& params);

} // namespace nc::graph
