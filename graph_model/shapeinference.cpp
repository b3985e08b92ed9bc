#include "shapeinference.h"

#include "layerregistry.h"
#include "noderefs.h"
#include "topology.h"

#include <algorithm>
#include <exception>

namespace nc::graph {

namespace {

Diagnostic makeDiagnostic(const Node& node, const ShapeIssue& issue) {
    return {issue.isError ? Severity::Error : Severity::Warning, node.id, issue.inPort,
            describeNode(node) + ": " + issue.message};
}

// The shape arriving at each input port, and issues for required ports nobody feeds.
bool gatherInputs(const Graph& graph, const Node& node, const LayerSpec& spec,
                  const InferenceResult& result, NodeInference& out, ShapeOutcome& outcome) {
    int count = spec.inputCount(node.params);
    out.inputs.assign(std::size_t(count), std::nullopt);
    bool complete = true;
    for (PortIndex port = 0; port < count; ++port) {
        std::optional<Edge> edge = graph.edgeInto(node.id, port);
        if (!edge && spec.inputOptional(port))
            continue;
        if (!edge) {
            outcome.error("input \"" + spec.inputName(port) + "\" is not connected", port);
            complete = false;
            continue;
        }
        out.inputs[std::size_t(port)] = result.edgeShape(*edge);
        complete = complete && out.inputs[std::size_t(port)].has_value();
    }
    return complete;
}

// Every reference must name an existing node of a type its parameter allows. Checked before
// the inputs, so that a dangling reference shows even while the inputs are unknown.
bool checkReferences(const Graph& graph, const Node& node, const LayerSpec& spec,
                     ShapeOutcome& outcome) {
    bool ok = true;
    for (const NodeReference& r : nodeReferences(node)) {
        const ParamSpec& p = *spec.findParam(r.param);
        const Node* referenced = graph.node(r.target);
        if (!referenced) {
            outcome.error(r.param + " names node " + std::to_string(r.target) +
                          ", which does not exist");
            ok = false;
        } else if (!refAllows(p, referenced->type)) {
            outcome.error(r.param + " must name a " + describeRefTypes(p) + ", but node " +
                          std::to_string(r.target) + " is " + describeNode(*referenced));
            ok = false;
        }
    }
    return ok;
}

// Rejects outputs too large to compute with and sums the node's own trainable values.
void checkOutcome(ShapeOutcome& outcome, NodeInference& out) {
    for (std::optional<Shape>& shape : outcome.outputs) {
        if (shape && !shape->empty() && !elementCount(*shape)) {
            outcome.error("its output " + formatShape(*shape) + " would hold more than " +
                          formatCount(kMaxElements) + " values per sample");
            shape.reset();
        }
    }
    for (const ParamTensor& p : outcome.params) {
        if (!p.trainable || p.tiedTo != kNoNode)
            continue;
        std::int64_t size = 1;
        for (std::int64_t d : p.shape)
            size *=
                d; // every dimension <= 2^31 and at most 4 of them, checked by the rules' inputs
        out.paramCount += size;
    }
}

} // namespace

const NodeInference* InferenceResult::node(NodeId id) const {
    auto it = nodes.find(id);
    return it == nodes.end() ? nullptr : &it->second;
}

std::optional<Shape> InferenceResult::edgeShape(const Edge& edge) const {
    const NodeInference* n = node(edge.outNode);
    if (!n || edge.outPort < 0 || edge.outPort >= int(n->outputs.size()))
        return std::nullopt;
    return n->outputs[std::size_t(edge.outPort)];
}

std::vector<Diagnostic> InferenceResult::diagnostics() const {
    std::vector<Diagnostic> all = graphDiagnostics;
    std::vector<NodeId> ids;
    ids.reserve(nodes.size());
    for (const auto& [id, n] : nodes)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (NodeId id : ids) {
        const auto& d = nodes.at(id).diagnostics;
        all.insert(all.end(), d.begin(), d.end());
    }
    return all;
}

bool InferenceResult::valid() const {
    auto isError = [](const Diagnostic& d) { return d.severity == Severity::Error; };
    if (std::any_of(graphDiagnostics.begin(), graphDiagnostics.end(), isError))
        return false;
    for (const auto& [id, n] : nodes)
        if (std::any_of(n.diagnostics.begin(), n.diagnostics.end(), isError))
            return false;
    return true;
}

NodeInference inferNode(const Graph& graph, const Node& node, const InferenceResult& result) {
    const LayerSpec& spec = graph.specOf(node);
    NodeInference out;
    ShapeOutcome outcome;
    outcome.outputs.assign(spec.outputs.size(), std::nullopt);
    bool references = checkReferences(graph, node, spec, outcome);
    if (gatherInputs(graph, node, spec, result, out, outcome) && references) {
        ShapeContext context(
            node, spec, out.inputs, [&graph](NodeId id) { return graph.node(id); },
            [&graph, &result](NodeId id, PortIndex port) -> std::optional<Shape> {
                if (const NodeInference* n = result.node(id); n && port < int(n->inputs.size()))
                    return n->inputs[std::size_t(port)];
                (void)graph;
                return std::nullopt;
            });
        try {
            spec.shapeRule(context, outcome);
        } catch (const std::exception& e) {
            // A rule must not throw; report it rather than take the editor down.
            outcome.outputs.assign(spec.outputs.size(), std::nullopt);
            outcome.error(std::string("internal error in the shape rule: ") + e.what());
        }
        checkOutcome(outcome, out);
    }
    out.outputs = std::move(outcome.outputs);
    out.params = std::move(outcome.params);
    for (const ShapeIssue& issue : outcome.issues)
        out.diagnostics.push_back(makeDiagnostic(node, issue));
    return out;
}

namespace {

void addGraphDiagnostics(const Graph& graph, const DependencyOrder& order,
                         InferenceResult& result) {
    result.graphDiagnostics.clear();
    bool hasInput = false, hasLoss = false;
    for (NodeId id : graph.nodeIds()) {
        const Node& n = *graph.node(id);
        hasInput = hasInput || n.type == "Input";
        hasLoss = hasLoss || graph.specOf(n).isLoss;
    }
    if (graph.nodeCount() > 0 && !hasInput)
        result.graphDiagnostics.push_back(
            {Severity::Warning, kNoNode, std::nullopt, "the graph has no Input node"});
    if (graph.nodeCount() > 0 && !hasLoss)
        result.graphDiagnostics.push_back(
            {Severity::Warning, kNoNode, std::nullopt,
             "the graph has no loss node, so it cannot train (add SoftmaxCrossEntropy or MSE)"});
    for (NodeId id : order.cyclic) {
        const Node& n = *graph.node(id);
        std::vector<NodeReference> refs = nodeReferences(n);
        const std::string via = refs.empty() ? "a node reference" : refs.front().param;
        result.graphDiagnostics.push_back(
            {Severity::Error, id, std::nullopt,
             describeNode(n) + ": depends on its own output through " + via + " (a loop)"});
    }
}

void sumParams(InferenceResult& result) {
    result.totalParams = 0;
    for (const auto& [id, n] : result.nodes)
        result.totalParams += n.paramCount;
}

} // namespace

InferenceResult inferShapes(const Graph& graph) {
    InferenceResult result;
    DependencyOrder order = dependencyOrder(graph);
    result.nodes.reserve(graph.nodeCount());
    for (NodeId id : order.order)
        result.nodes[id] = inferNode(graph, *graph.node(id), result);
    for (NodeId id : order.cyclic) {
        const Node& n = *graph.node(id);
        NodeInference blocked;
        blocked.inputs.assign(std::size_t(graph.inputCount(id)), std::nullopt);
        blocked.outputs.assign(graph.specOf(n).outputs.size(), std::nullopt);
        result.nodes[id] = std::move(blocked);
    }
    addGraphDiagnostics(graph, order, result);
    sumParams(result);
    return result;
}

void IncrementalInference::noteChange(const GraphChange& change) {
    if (change.what & GraphReset) {
        m_everything = true;
        return;
    }
    if (change.what & NodeRemoved)
        m_result.nodes.erase(change.node);
    if (change.what & (NodeAdded | EdgeAdded | EdgeRemoved | ParamChanged | NodeRenamed))
        m_dirty.insert(change.node);
    if (change.what & NodeRemoved)
        m_dirty.insert(change.node); // the nodes referencing it must notice it is gone
}

const InferenceResult& IncrementalInference::update(const Graph& graph) {
    m_touched.clear();
    m_touchedAll = false;
    if (!m_everything && m_dirty.empty()) {
        m_lastRecomputed = 0;
        return m_result;
    }
    DependencyOrder order = dependencyOrder(graph);
    if (m_everything || !order.cyclic.empty()) {
        m_result = inferShapes(graph);
        m_lastRecomputed = graph.nodeCount();
        m_touchedAll = true;
        m_everything = false;
        m_dirty.clear();
        return m_result;
    }
    // A node is recomputed when it was edited, or something it depends on changed what it
    // hands on: its output shapes, or anything about a node it references (a tied
    // deconvolution takes its convolution's input channels, kernel, stride and dilation).
    std::unordered_set<NodeId> changed;
    for (NodeId removed : m_dirty)
        if (!graph.node(removed)) {
            changed.insert(removed);
            m_touched.push_back(removed);
        }
    m_lastRecomputed = 0;
    for (NodeId id : order.order) {
        const Node& n = *graph.node(id);
        bool needed = m_dirty.count(id) > 0;
        if (!needed) {
            for (const Edge& e : graph.edgesInto(id))
                needed = needed || changed.count(e.outNode) > 0;
            for (const NodeReference& r : nodeReferences(n))
                needed = needed || changed.count(r.target) > 0 || m_dirty.count(r.target) > 0;
        }
        if (!needed)
            continue;
        NodeInference fresh = inferNode(graph, n, m_result);
        ++m_lastRecomputed;
        m_touched.push_back(id);
        auto it = m_result.nodes.find(id);
        if (it == m_result.nodes.end() || it->second.outputs != fresh.outputs ||
            it->second.inputs != fresh.inputs)
            changed.insert(id);
        m_result.nodes[id] = std::move(fresh);
    }
    m_dirty.clear();
    finish(graph);
    return m_result;
}

void IncrementalInference::finish(const Graph& graph) {
    addGraphDiagnostics(graph, DependencyOrder{}, m_result);
    sumParams(m_result);
}

} // namespace nc::graph
